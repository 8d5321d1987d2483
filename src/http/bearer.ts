import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

// The configured token's digest, computed once rather than on every request (one token per process).
let tokenDigest: { token: string; digest: Buffer } | undefined;

/**
 * True when the `Authorization` header is exactly `Bearer TOKEN` (scheme case-insensitive, RFC 6750),
 * compared in constant time: both sides are hashed first, so the time taken does not depend on the
 * length or content of the token sent. Used by every route that takes WEBHOOK_TOKEN (the monitoring
 * hooks, POST /api/cis).
 */
export function bearerMatches(headers: IncomingHttpHeaders, token: string): boolean {
  const header = headers.authorization;
  if (typeof header !== 'string') return false;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (m?.[1] === undefined) return false;
  if (tokenDigest?.token !== token) tokenDigest = { token, digest: sha256(token) };
  return timingSafeEqual(sha256(m[1]), tokenDigest.digest);
}
