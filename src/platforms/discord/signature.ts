// HTTP interactions are signed with the application's Ed25519 key: `X-Signature-Ed25519` (hex) over
// `X-Signature-Timestamp` + the raw body. Discord sends bad signatures on purpose to check that they
// are refused.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A signed request older (or newer) than this is refused, so that a captured one cannot be replayed. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

/** The KeyObject for the Developer Portal's "Public Key" (64 hex characters). */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error('an Ed25519 public key is 32 bytes, 64 hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export interface SignedRequest {
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
}

export function verifyDiscordSignature(key: KeyObject, request: SignedRequest, nowMs = Date.now()): boolean {
  const { signature, timestamp, rawBody } = request;
  if (!signature || !timestamp || !/^[0-9a-fA-F]{128}$/.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Math.floor(nowMs / 1000) - Number(timestamp)) > SIGNATURE_MAX_AGE_SECONDS) return false;
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]), key, Buffer.from(signature, 'hex'));
  } catch {
    return false;
  }
}
