// Reading and writing one change: the row (locked while deciding on PostgreSQL), its decisions, each
// step in the timeline and the audit log, the people it asks, and their notices.
import type { EntityManager } from 'typeorm';
import type { NoticeKind } from './notifications.js';
import { CHANGE_RECORD, snapshot } from './record.js';
import type { Clock } from '../clock.js';
import type { Role } from '../people/roles.js';
import type { Party } from '../people/actor.js';
import { RecordLifecycle } from '../records/lifecycle.js';
import { ChangeApproval, ChangeNotice, RoleGrant, type Change } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const APPROVER_ROLES: Role[] = ['approver', 'manager', 'admin'];
export const MANAGER_ROLES: Role[] = ['manager', 'admin'];

/** The fields a step on a change may write. */
export type ChangeFields = Partial<
  Pick<
    Change,
    'state' | 'implementerId' | 'decidedAt' | 'startedAt' | 'endedAt' | 'outcomeNote' | 'reviewedBy' | 'reviewedAt' | 'reviewNote' | 'windowStart' | 'windowEnd'
  >
>;

export { snapshot } from './record.js';

export interface StepOptions {
  /** The timeline note. */
  note?: string | null;
  /** More of the change before the step, for the audit log. */
  before?: Record<string, unknown>;
}

export class ChangeRecords {
  /** The shared lifecycle step for changes (versioned write, timeline, audit). */
  readonly lifecycle: RecordLifecycle<Change>;

  constructor(
    private readonly clock: Clock,
    store: Store,
    onOutbox?: () => void,
  ) {
    this.lifecycle = new RecordLifecycle(CHANGE_RECORD, store, clock, { onOutbox });
  }

  /** Reads the change; inside a decision on PostgreSQL the row is locked so that decisions queue up. */
  async load(manager: EntityManager, id: number, lock = false): Promise<Change> {
    return this.lifecycle.load(manager, id, lock);
  }

  async decisions(manager: EntityManager, changeId: number): Promise<ChangeApproval[]> {
    return manager.find(ChangeApproval, { where: { changeId }, order: { id: 'ASC' } });
  }

  /**
   * One step: writes the fields under the optimistic version, then records it in the timeline and the
   * audit log with the change before and after (and the state it left, when it moves).
   */
  async step(manager: EntityManager, by: Party, change: Change, kind: string, fields: ChangeFields, options: StepOptions = {}): Promise<void> {
    await this.lifecycle.apply(manager, by, change, { event: kind, fields, note: options.note ?? null, ...(options.before ? { before: options.before } : {}) });
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
    await this.lifecycle.record(manager, actor, change, { event: kind, before, fromState, note, after });
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
