import { describe, expect, it } from 'vitest';
import { publicKeyFromHex, verifyDiscordSignature } from '../../src/platforms/discord/signature.js';
import { InteractionSigner } from '../fakes/discord/index.js';

describe('Discord HTTP interaction signatures (Ed25519)', () => {
  const signer = new InteractionSigner();
  const key = publicKeyFromHex(signer.publicKeyHex);
  const body = '{"type":1,"id":"1"}';
  const check = (headers: Record<string, string>, raw = body, now = Date.now()) =>
    verifyDiscordSignature(key, { signature: headers['x-signature-ed25519'], timestamp: headers['x-signature-timestamp'], rawBody: Buffer.from(raw) }, now);

  it('accepts timestamp + raw body signed with the application key', () => {
    expect(check(signer.headers(body))).toBe(true);
  });

  it.each(['forged', 'tampered', 'stale', 'missing'] as const)('refuses a %s signature', (mode) => {
    expect(check(signer.headers(body, mode))).toBe(false);
  });

  it('refuses a changed body, a signature that is not hex, and a timestamp from the future', () => {
    const headers = signer.headers(body);
    expect(check(headers, `${body} `)).toBe(false);
    expect(check({ ...headers, 'x-signature-ed25519': 'zz'.repeat(64) })).toBe(false);
    expect(check(signer.headers(body, 'valid', Date.now() + 10 * 60_000))).toBe(false);
  });

  it('reads the 64-hex public key of the Developer Portal and nothing else', () => {
    expect(() => publicKeyFromHex('abc')).toThrow(/64 hex/);
    const other = new InteractionSigner();
    expect(verifyDiscordSignature(publicKeyFromHex(other.publicKeyHex), { signature: signer.headers(body)['x-signature-ed25519'], timestamp: signer.headers(body)['x-signature-timestamp'], rawBody: Buffer.from(body) })).toBe(false);
  });
});
