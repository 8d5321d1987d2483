// Who may post alerts: the bearer token for every hook (Alertmanager `http_config.authorization`,
// Grafana's authorization header), and Grafana's HMAC signature when a secret is configured
// (PLATFORM-FACTS.md, Grafana signature).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Grafana's timestamped signatures older (or newer) than this are refused (issue #11 item 1). */
export const SIGNATURE_WINDOW_S = 5 * 60;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares two strings in time independent of where they differ (hashing first evens out the lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

export interface GrafanaSignatureOptions {
  secret: string;
  /** Header with the hex HMAC; Grafana's default is X-Grafana-Alerting-Signature. */
  signatureHeader: string;
  /** When set, Grafana puts Unix seconds in this header and signs "{timestamp}:{body}". */
  timestampHeader?: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Checks Grafana's HMAC-SHA256 signature over the raw body (lowercase hex, no prefix), or over
 * `"{timestamp}:{body}"` with a timestamp header, which must lie within SIGNATURE_WINDOW_S of `nowMs`.
 */
export function checkGrafanaSignature(headers: IncomingHttpHeaders, rawBody: Buffer, options: GrafanaSignatureOptions, nowMs: number): SignatureCheck {
  const signature = header(headers, options.signatureHeader);
  if (!signature) return { ok: false, reason: `missing ${options.signatureHeader} header` };
  const hmac = createHmac('sha256', options.secret);
  if (options.timestampHeader) {
    const timestamp = header(headers, options.timestampHeader);
    if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: `missing or malformed ${options.timestampHeader} header` };
    if (Math.abs(nowMs / 1000 - Number(timestamp)) > SIGNATURE_WINDOW_S) return { ok: false, reason: 'signature timestamp outside the 5-minute window' };
    hmac.update(`${timestamp}:`);
  }
  const expected = hmac.update(rawBody).digest('hex');
  return constantTimeEqual(signature.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
