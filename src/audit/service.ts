import { verifyChain, type ChainVerdict } from './chain.js';
import { ForbiddenError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { Store } from '../store/store.js';

/** The audit log as people see it (policy 5.1): managers can check that nothing was altered. */
export class AuditService {
  constructor(private readonly store: Store) {}

  async verify(actor: Actor): Promise<ChainVerdict> {
    if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('audit.error.managerOnly');
    return verifyChain(this.store.manager);
  }
}
