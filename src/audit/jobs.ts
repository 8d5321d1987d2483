import type { Store } from '../store/store.js';
import { verifyChain } from './chain.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../logger.js';

/** Re-verifies the whole audit chain every night, so that tampering is noticed without anyone asking. */
export function auditJobs(store: Store, logger: Logger): Job[] {
  return [
    {
      name: 'audit-verify',
      cron: '30 2 * * *',
      leaseMs: 30 * 60_000,
      run: async () => {
        const verdict = await verifyChain(store.manager);
        if (verdict.ok) logger.info({ entries: verdict.entries }, 'audit chain verified');
        else logger.error({ entries: verdict.entries, brokenAt: verdict.brokenAt }, 'audit chain broken: an entry was changed or removed');
      },
    },
  ];
}
