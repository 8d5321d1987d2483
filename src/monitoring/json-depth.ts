// A linear pre-check of a webhook body's nesting depth before JSON.parse (issue #11 item 8, bad input).
// JSON.parse of millions of nested brackets blocks the event loop for seconds and then fails anyway;
// no real Alertmanager, Grafana or generic body nests deeper than a handful of levels.

/** The deepest nesting of arrays and objects a webhook body may have; deeper bodies get 400. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * True when the raw body (UTF-8 bytes) nests arrays and objects deeper than `max` levels. One pass over
 * the bytes, stopping at the first level beyond `max`; brackets inside strings do not count, and a
 * backslash escapes the next byte (so `"\""` stays one string). UTF-8 continuation bytes are all ≥ 0x80,
 * so they never look like these ASCII characters. Malformed JSON is left for JSON.parse to refuse.
 */
export function nestsDeeperThan(body: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
