import { verifyChain, type Anchor, type ChainVerdict } from './chain.js';
import { ForbiddenError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { Store } from '../store/store.js';

/** The audit log as people see it (policy 5.1): managers can check that nothing was altered. */
export class AuditService {
  constructor(private readonly store: Store) {}

  /** Verifies the whole chain, and with an anchor from an earlier report that it still holds it (policy 5.1). */
  async verify(actor: Actor, anchor?: Anchor): Promise<ChainVerdict> {
    // README: approvers and managers verify the audit log (the change advisory board checks the trail).
    if (!hasRole(actor.roles, 'approver')) throw new ForbiddenError('audit.error.managerOnly');
    return verifyChain(this.store.manager, anchor);
  }
}
