// Approval decisions (policy 4.2): one guard for who may decide, each decision recorded with who,
// when and the comment; the policy decides when a change is approved; any rejection rejects.
import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { decisionsOf } from './cards.js';
import type { ChangeDesk } from './desk.js';
import type { ChangeNews } from './notifications.js';
import { CHANGE_LIMITS } from './request-input.js';
import { decisionError } from './refusals.js';
import { approvalStatus, decisionRefusal } from './rules.js';
import type { ChangeScheduling } from './scheduling.js';
import { InvalidInputError, type UserError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { ChangeApproval, type Change } from '../store/entities/index.js';

type Decision = 'approved' | 'rejected';

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  const code = typeof driverError === 'object' && driverError !== null ? String(Reflect.get(driverError, 'code')) : '';
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/i.test(error.message);
}

export class ChangeDecisions {
  constructor(
    private readonly desk: ChangeDesk,
    private readonly scheduling: ChangeScheduling,
  ) {}

  /** Checks that the actor could decide on the change now, without deciding (before a form opens). */
  async checkCanDecide(actor: Actor, id: number): Promise<void> {
    const manager = this.desk.store.manager;
    const change = await this.desk.records.load(manager, id);
    const error = await this.refusal(manager, actor, change, await this.desk.records.decisions(manager, id));
    if (error) throw error;
  }

  /** One approval; when the policy is satisfied the change is approved and, outside a freeze, scheduled. */
  async approve(actor: Actor, id: number, comment?: string): Promise<Change> {
    return this.decide(actor, id, 'approved', comment?.trim() ? comment.trim().slice(0, CHANGE_LIMITS.comment) : null);
  }

  /** Any rejection rejects the change; it needs a reason. */
  async reject(actor: Actor, id: number, reason: string): Promise<Change> {
    const text = reason.trim();
    if (!text) throw new InvalidInputError('changes.error.reasonRequired', {}, 'reason');
    return this.decide(actor, id, 'rejected', text.slice(0, CHANGE_LIMITS.note));
  }

  private async decide(actor: Actor, id: number, decision: Decision, comment: string | null): Promise<Change> {
    const { records, announcer, clock } = this.desk;
    try {
      return await this.desk.act(id, async (change, manager, setup) => {
        const decisions = await records.decisions(manager, id);
        const error = await this.refusal(manager, actor, change, decisions);
        if (error) throw error;
        const now = clock.now();
        const row = await manager.save(
          ChangeApproval,
          manager.create(ChangeApproval, {
            changeId: id,
            approverId: actor.personId,
            decision,
            asManager: hasRole(actor.roles, 'manager') ? 1 : 0,
            comment,
            createdAt: now,
          }),
        );
        decisions.push(row);
        const status = approvalStatus({ approvals: change.approvalsRequired, managerRequired: change.managerRequired === 1 }, decisionsOf(decisions));
        const approvals = decisions.filter((d) => d.decision === 'approved').length;
        await this.recordDecision(manager, actor, change, decision, comment, approvals);
        let news: ChangeNews = { kind: 'decision', by: actor.personId };
        if (status.outcome === 'rejected') {
          await records.step(manager, actor, change, 'rejected', { state: 'rejected', decidedAt: now }, { note: comment });
          news = { kind: 'rejected', by: actor.personId, reason: comment ?? '' };
        } else if (status.outcome === 'approved') {
          await this.scheduling.conclude(manager, change, actor, setup, 'approvals');
          news = { kind: 'approved', by: actor.personId };
        }
        await announcer.notify(manager, change, news, setup);
        return change;
      });
    } catch (error) {
      // Only a race the transaction could not see (another process, same person) ends here.
      if (isUniqueViolation(error)) throw await this.alreadyDecided(actor, id);
      throw error;
    }
  }

  /** Why the actor may not decide on the change now, or undefined when they may. */
  private async refusal(manager: EntityManager, actor: Actor, change: Change, decisions: ChangeApproval[]): Promise<UserError | undefined> {
    const refusal = decisionRefusal(actor, change, decisions);
    return refusal ? decisionError(manager, refusal, change, decisions, actor, this.desk.timeZone) : undefined;
  }

  private async alreadyDecided(actor: Actor, id: number): Promise<UserError> {
    const manager = this.desk.store.manager;
    const change = await this.desk.records.load(manager, id);
    const decisions = await this.desk.records.decisions(manager, id);
    return (await this.refusal(manager, actor, change, decisions)) ?? decisionError(manager, 'already_decided', change, decisions, actor, this.desk.timeZone);
  }

  /** An approver's decision: who, when, and the comment, in the timeline and the audit log. */
  private async recordDecision(manager: EntityManager, actor: Actor, change: Change, decision: Decision, comment: string | null, approvals: number): Promise<void> {
    const kind = decision === 'approved' ? 'approve' : 'reject';
    const after = { decision, approver: actor.displayName, approverId: actor.personId, asManager: hasRole(actor.roles, 'manager'), comment, approvals, required: change.approvalsRequired };
    await this.desk.records.record(manager, actor, change, kind, { state: change.state, approvals: decision === 'approved' ? approvals - 1 : approvals }, null, comment, after);
  }
}
