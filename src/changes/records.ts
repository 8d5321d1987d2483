// Reading and writing one change: the row (locked while deciding on PostgreSQL), its decisions, each
// step in the timeline and the audit log, the people it asks, and their notices.
import type { EntityManager } from 'typeorm';
import type { NoticeKind } from './notifications.js';
import { formatChangeId } from './rules.js';
import { appendAudit } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Role } from '../people/roles.js';
import { Change, ChangeApproval, ChangeEvent, ChangeNotice, RoleGrant } from '../store/entities/index.js';
import { updateIfUnchanged } from '../store/versioned.js';

import type { Party } from '../people/actor.js';

export const APPROVER_ROLES: Role[] = ['approver', 'manager', 'admin'];
export const MANAGER_ROLES: Role[] = ['manager', 'admin'];

/** The fields a step on a change may write. */
export type ChangeFields = Partial<
  Pick<
    Change,
    'state' | 'implementerId' | 'decidedAt' | 'startedAt' | 'endedAt' | 'outcomeNote' | 'reviewedBy' | 'reviewedAt' | 'reviewNote' | 'windowStart' | 'windowEnd'
  >
>;

/** What the audit log keeps of a change before and after a step. */
export function snapshot(change: Change) {
  return {
    state: change.state,
    implementerId: change.implementerId,
    decidedAt: change.decidedAt?.toISOString() ?? null,
    startedAt: change.startedAt?.toISOString() ?? null,
    endedAt: change.endedAt?.toISOString() ?? null,
    outcomeNote: change.outcomeNote,
    reviewedBy: change.reviewedBy,
    reviewNote: change.reviewNote,
  };
}

export interface StepOptions {
  /** The timeline note. */
  note?: string | null;
  /** More of the change before the step, for the audit log. */
  before?: Record<string, unknown>;
}

export class ChangeRecords {
  constructor(private readonly clock: Clock) {}

  /** Reads the change; inside a decision on PostgreSQL the row is locked so that decisions queue up. */
  async load(manager: EntityManager, id: number, lock = false): Promise<Change> {
    const locking = lock && manager.connection.options.type === 'postgres';
    const change = await manager.findOne(Change, { where: { id }, ...(locking ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!change) throw new NotFoundError('changes.error.notFound', { id: formatChangeId(id) });
    return change;
  }

  async decisions(manager: EntityManager, changeId: number): Promise<ChangeApproval[]> {
    return manager.find(ChangeApproval, { where: { changeId }, order: { id: 'ASC' } });
  }

  /** Writes a change only if nobody changed it since it was read (optimistic version). */
  async apply(manager: EntityManager, change: Change, fields: ChangeFields): Promise<void> {
    if (!(await updateIfUnchanged(manager, Change, change, fields, this.clock.now()))) {
      throw new ConflictError('changes.error.changedMeanwhile', { id: formatChangeId(change.id) });
    }
  }

  /**
   * One step: writes the fields, then records it in the timeline and the audit log with the change
   * before and after (and the state it left, when it moves).
   */
  async step(manager: EntityManager, by: Party, change: Change, kind: string, fields: ChangeFields, options: StepOptions = {}): Promise<void> {
    const before = { ...snapshot(change), ...options.before };
    await this.apply(manager, change, fields);
    await this.record(manager, by, change, kind, before, fields.state === undefined ? null : before.state, options.note ?? null);
  }

  /** A timeline entry and its audit entry. */
  async record(
    manager: EntityManager,
    actor: Party,
    change: Change,
    kind: string,
    before: unknown,
    fromState: string | null,
    note: string | null,
    after: unknown = snapshot(change),
  ): Promise<void> {
    const now = this.clock.now();
    await manager.save(
      ChangeEvent,
      manager.create(ChangeEvent, { changeId: change.id, actorId: actor.personId, kind, fromState, toState: change.state, note, createdAt: now }),
    );
    await appendAudit(manager, now, {
      actor,
      action: `change.${kind}`,
      recordType: 'change',
      recordId: formatChangeId(change.id),
      before,
      after,
    });
  }

  /** The person's notice of this kind about the change, made once. */
  async addNotice(manager: EntityManager, changeId: number, personId: number, kind: NoticeKind): Promise<ChangeNotice> {
    const existing = await manager.findOne(ChangeNotice, { where: { changeId, personId, kind } });
    if (existing) return existing;
    return manager.save(ChangeNotice, manager.create(ChangeNotice, { changeId, personId, kind, reminders: 0, lastSentAt: this.clock.now() }));
  }

  /** People holding any of the roles, in id order. */
  async holders(manager: EntityManager, roles: Role[]): Promise<number[]> {
    const grants = await manager.createQueryBuilder(RoleGrant, 'g').where('g.role IN (:...roles)', { roles }).orderBy('g.person_id', 'ASC').getMany();
    return [...new Set(grants.map((g) => g.personId))];
  }

  /** Who is asked to decide: approvers (managers only for an emergency), never the requester. */
  async eligibleApprovers(manager: EntityManager, change: Change): Promise<number[]> {
    const holders = await this.holders(manager, change.type === 'emergency' ? MANAGER_ROLES : APPROVER_ROLES);
    return holders.filter((id) => id !== change.requesterId);
  }
}
