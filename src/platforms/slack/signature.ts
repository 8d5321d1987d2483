// Slack request signing (v0): HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the signing secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request stamped more than five minutes from now (either way) is refused. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifySlackSignature(secret: string, request: SignedRequest, nowMs = Date.now()): SignatureCheck {
  const { signature, timestamp } = request;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'missing' };
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return { valid: false, reason: 'stale' };
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(request.rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch is already a mismatch.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'mismatch' };
  return { valid: true };
}
