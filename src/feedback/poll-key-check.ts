// Replicas with different poll keys would each compute a different voter key for one person, and a
// person clicking on two replicas would be counted twice. The first process to use its key stores a
// fingerprint of it in the settings table; a process whose key gives another fingerprint refuses votes.
import { createHmac } from 'node:crypto';
import { Setting } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

/** The settings row holding the fingerprint (fixed: rows of earlier processes must still be found). */
export const POLL_KEY_FINGERPRINT_SETTING = 'feedback.poll_key_fingerprint';

/** The HMAC's message: fixed, so that one key always gives one fingerprint. */
const FINGERPRINT_LABEL = 'opsdesk poll key fingerprint v1';

/**
 * HMAC-SHA256(key, a fixed label) as 64 hex characters: tells two keys apart without revealing either
 * (unlike a voter key, it involves no person, so it links no ballot to anyone).
 */
export function pollKeyFingerprint(key: string): string {
  return createHmac('sha256', key).update(FINGERPRINT_LABEL).digest('hex');
}

/**
 * Compares `key`'s fingerprint with the stored one, storing it first when there is none (one insert
 * that does nothing when another process stored one meanwhile, so that the first one wins).
 * Returns `stored` (this key's is the first), `same` or `differs`. Throws the database's errors.
 */
export async function checkPollKey(store: Store, key: string, now: Date): Promise<'stored' | 'same' | 'differs'> {
  const mine = pollKeyFingerprint(key);
  const stored = () => store.manager.findOne(Setting, { where: { key: POLL_KEY_FINGERPRINT_SETTING } });
  const found = await stored();
  if (found) return found.value === mine ? 'same' : 'differs';
  await store.manager
    .createQueryBuilder()
    .insert()
    .into(Setting)
    .values({ key: POLL_KEY_FINGERPRINT_SETTING, value: mine, updatedBy: null, updatedAt: now })
    .orIgnore()
    .execute();
  return (await stored())?.value === mine ? 'stored' : 'differs';
}
