// Discord's side of HTTP interactions: an Ed25519 key pair like an application's, signing
// `timestamp + body` into `X-Signature-Ed25519`, and deliberately bad signatures like Discord's spot checks.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export type SignatureMode = 'valid' | 'forged' | 'tampered' | 'stale' | 'missing';

export class InteractionSigner {
  /** The application's "Public Key" as the Developer Portal shows it: 64 hex characters. */
  readonly publicKeyHex: string;
  private readonly privateKey: KeyObject;
  private readonly otherKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('ed25519');
    this.privateKey = pair.privateKey;
    this.otherKey = generateKeyPairSync('ed25519').privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    if (!jwk.x) throw new Error('no public key');
    this.publicKeyHex = Buffer.from(jwk.x, 'base64url').toString('hex');
  }

  /**
   * Headers for a body: `forged` is signed with another key, `tampered` signs a different body,
   * `stale` is correctly signed ten minutes ago, `missing` has no signature.
   */
  headers(body: string, mode: SignatureMode = 'valid', nowMs = Date.now()): Record<string, string> {
    if (mode === 'missing') return {};
    const timestamp = String(Math.floor(nowMs / 1000) - (mode === 'stale' ? 600 : 0));
    const signedBody = mode === 'tampered' ? `${body} ` : body;
    const key = mode === 'forged' ? this.otherKey : this.privateKey;
    const signature = sign(null, Buffer.from(timestamp + signedBody), key).toString('hex');
    return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
  }
}
