// The Web API client's HTTP calls (card edits, DMs, posts: two per click) through undici's
// `request` instead of Node's fetch. Node's fetch wraps every call in WHATWG streams, Request,
// Headers and AbortSignal objects and writes the body as an async iterable; on the click path that
// was about 1 ms of CPU per call (bench/results.md, "Session of 2026-11-29 evening"). undici is the
// HTTP client Node's fetch is built on, already installed through @slack/socket-mode; its
// `request` sends a string body with the headers in one write.
import { request } from 'undici';

/** Header pairs of a fetch `init`, as undici takes them. */
function headerRecord(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  return Object.fromEntries(new Headers(headers).entries());
}

function urlOf(input: string | URL | Request): string | undefined {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return undefined;
}

/** Statuses whose response has no body (the Response constructor refuses one for them). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` for @slack/web-api's `WebClient` (option `fetch`): a POST with a string or
 * URLSearchParams body (every Web API method the bot calls) goes through undici's `request`, with
 * the caller's signal (the client's 10 s timeout) and no redirects followed (the client asks for
 * `redirect: 'error'`; a 3xx comes back as a response, which the client reports as an HTTP error).
 * Anything else (a Request object, FormData or binary uploads) goes to Node's fetch as it is.
 * Rejects as fetch does on a network error or an aborted signal.
 */
export async function slackFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = urlOf(input);
  const body = init?.body;
  const text = typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : undefined;
  if (url === undefined || text === undefined || init?.method !== 'POST') return fetch(input, init);
  const answer = await request(url, {
    method: 'POST',
    headers: headerRecord(init?.headers),
    body: text,
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  const content = await answer.body.arrayBuffer();
  const headers = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return new Response(NULL_BODY.has(answer.statusCode) ? null : content, { status: answer.statusCode, headers });
}
