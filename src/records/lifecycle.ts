// The one lifecycle step every record kind uses: write the change under the optimistic version,
// recompute the SLA clock, append the timeline line and the audit entry, and queue the outgoing
// messages, all in the caller's transaction. The kind-specific parts (rules, fields, snapshot,
// messages) come in as arguments.
import type { DeepPartial, EntityManager, FindOptionsWhere } from 'typeorm';
import type { LifecycleRecord, RecordKind } from './kind.js';
import { appendEvent } from './timeline.js';
import { appendAudit } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import { SYSTEM, type Actor, type Party } from '../people/actor.js';
import type { EventDetails } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { PlainSql } from '../store/plain-sql.js';
import { updateIfUnchanged } from '../store/versioned.js';

export interface LifecycleOptions<R> {
  /** Recomputes the SLA clock (deadlines, pauses, next reminder) after every change, in the same transaction. */
  sla?: { onChange(manager: EntityManager, record: R, now: Date): Promise<unknown> } | undefined;
  /** Called after a transaction that may have queued messages committed, so delivery starts at once. */
  onOutbox?: (() => void) | undefined;
}

/** The messages a step queues, built from the record after the step. */
export type MessagesOf<R> = (record: R) => Promise<OutgoingMessage[]>;

/** One step on a record that writes fields. */
export interface Step<R> {
  /** The timeline kind and the audit action after the dot: `acknowledge` → `fault.acknowledge`. */
  event: string;
  /** The fields written; a `state` among them makes the step a move (the timeline keeps where from). */
  fields: Partial<R>;
  note?: string | null;
  details?: EventDetails | null;
  /** More of the record before the step for the audit log, beside its snapshot. */
  before?: Record<string, unknown>;
  messages?: MessagesOf<R>;
}

/** A timeline line and audit entry for a step that wrote nothing itself (a decision, a finding). */
export interface Entry {
  event: string;
  before: unknown;
  fromState: string | null;
  note: string | null;
  details?: EventDetails | null;
  /** The record after the step for the audit log; its snapshot by default. */
  after?: unknown;
}

/** A kind's state-machine rules, for `move`. */
export interface MoveRules<R, M extends string> {
  /** Throws (ForbiddenError) when the person may not make the move on the record; not asked for opsdesk itself. */
  authorise(actor: Actor, record: R, move: M): void;
  /** The state after the move, or undefined when the move is not possible from the record's state. */
  next(record: R, move: M): string | undefined;
  /** Why the move is not possible now (e.g. who was first and when). */
  refusal(manager: EntityManager, record: R, move: M): Promise<Error>;
}

/** One move of a kind's state machine. */
export interface Move<R, M extends string> {
  name: M;
  /** The fields the move writes besides the state. */
  fields(record: R, now: Date): Partial<R>;
  note?: string | null;
  messages?: MessagesOf<R>;
  /** Kind-specific work after the step, in the same transaction (e.g. opening a satisfaction survey). */
  then?: ((manager: EntityManager, record: R, now: Date) => Promise<unknown>) | undefined;
}

/** The lifecycle kernel of one record kind. */
export class RecordLifecycle<R extends LifecycleRecord> {
  constructor(
    readonly kind: RecordKind<R>,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: LifecycleOptions<R> = {},
  ) {}

  /**
   * Runs `work` in one transaction, then wakes the outbox dispatcher. A step that lost the race to a
   * concurrent change of the same record (`changedMeanwhile`: on PostgreSQL two clicks run at once,
   * where SQLite runs them one after the other) is run once more on the record as it now is, so that
   * the second of a double click hears "already acknowledged by X" (DESIGN.md, Idempotency).
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.store.transaction(work);
    } catch (error) {
      if (!(error instanceof ConflictError && error.messageKey === this.kind.changedMeanwhile)) throw error;
      result = await this.store.transaction(work);
    }
    this.options.onOutbox?.();
    return result;
  }

  /** Wakes the outbox dispatcher after a transaction (of several steps) committed. */
  deliver(): void {
    this.options.onOutbox?.();
  }

  /**
   * Reads the record; with `lock` on PostgreSQL the row is locked until the transaction ends, so that
   * steps that count (approvals) queue up. Throws NotFoundError when the id names none. Without a
   * lock it is one fixed statement (src/store/plain-sql.ts): every click reads its record.
   */
  async load(manager: EntityManager, id: number, lock = false): Promise<R> {
    const locking = lock && manager.connection.options.type === 'postgres';
    const record = locking
      ? await manager.getRepository(this.kind.entity).findOne({ where: { id } as FindOptionsWhere<R>, lock: { mode: 'pessimistic_write' as const } })
      : await PlainSql.of(manager).findById(manager, this.kind.entity, id);
    if (!record) throw new NotFoundError(this.kind.notFound, { id: this.kind.label(id) });
    return record;
  }

  /**
   * Loads record `id` and makes one move of its state machine: authorised by `rules` (unless
   * `actor` is null: opsdesk itself, a job), refused with `rules.refusal` when the state does not
   * allow it, then applied as a step. Throws NotFoundError, ForbiddenError, ConflictError.
   */
  async move<M extends string>(manager: EntityManager, actor: Actor | null, id: number, rules: MoveRules<R, M>, move: Move<R, M>): Promise<R> {
    const record = await this.load(manager, id);
    if (actor) rules.authorise(actor, record, move.name);
    const to = rules.next(record, move.name);
    if (to === undefined) throw await rules.refusal(manager, record, move.name);
    const now = this.clock.now();
    const fields = { ...move.fields(record, now), state: to } as Partial<R>;
    await this.apply(manager, actor ?? SYSTEM, record, { event: move.name, fields, note: move.note ?? null, ...(move.messages ? { messages: move.messages } : {}) });
    await move.then?.(manager, record, now);
    return record;
  }

  /** Inserts a new record and takes its first step (`event`) with no state before it. */
  async create(manager: EntityManager, actor: Party, values: DeepPartial<R>, event: string, messages?: MessagesOf<R>): Promise<R> {
    const repository = manager.getRepository(this.kind.entity);
    const created = await repository.save(repository.create(values));
    const now = this.clock.now();
    await this.options.sla?.onChange(manager, created, now);
    await this.record(manager, actor, created, { event, before: null, fromState: null, note: null });
    if (messages) await enqueue(manager, now, await messages(created), { kind: this.kind.kind, id: created.id });
    return created;
  }

  /**
   * Writes the step's fields only if nobody changed the record since it was read (ConflictError with
   * the kind's `changedMeanwhile` otherwise), then recomputes the SLA clock, records the step in the
   * timeline and the audit log, and queues its messages. The in-memory record follows the write.
   */
  async apply(manager: EntityManager, actor: Party, record: R, step: Step<R>): Promise<void> {
    const before = { ...this.kind.snapshot(record), ...step.before };
    const fromState = step.fields.state === undefined ? null : record.state;
    const now = this.clock.now();
    if (!(await updateIfUnchanged(manager, this.kind.entity, record, step.fields, now))) {
      throw new ConflictError(this.kind.changedMeanwhile, { id: this.kind.label(record.id) });
    }
    await this.options.sla?.onChange(manager, record, now);
    await this.record(manager, actor, record, { event: step.event, before, fromState, note: step.note ?? null, details: step.details ?? null });
    if (step.messages) await enqueue(manager, now, await step.messages(record), { kind: this.kind.kind, id: record.id });
  }

  /**
   * Ids of records resting in `state` since before `cutoff` (by the ISO time column `since`, e.g.
   * `resolved_at`), oldest first, at most `limit`: the ones a job closes when nobody confirmed them.
   */
  async staleIds(state: string, since: string, cutoff: Date, limit: number): Promise<number[]> {
    const rows = await this.store.manager
      .createQueryBuilder(this.kind.entity, 'r')
      .select('r.id', 'id')
      .where(`r.state = :state AND r.${since} < :cutoff`, { state, cutoff: cutoff.toISOString() })
      .orderBy('r.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number | string }>();
    return rows.map((row) => Number(row.id));
  }

  /**
   * Runs `step` on each id in its own transaction; a ConflictError (a person moved the record since it
   * was read: theirs is the newer decision) skips that one. Returns how many steps went through.
   */
  async each(ids: number[], step: (manager: EntityManager, id: number) => Promise<unknown>): Promise<number> {
    let done = 0;
    for (const id of ids) {
      try {
        await this.store.transaction((manager) => step(manager, id));
        done++;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    if (done > 0) this.deliver();
    return done;
  }

  /** A timeline line and its audit entry (`<kind>.<event>`), naming the record's state now. */
  async record(manager: EntityManager, actor: Party, record: R, entry: Entry): Promise<void> {
    const now = this.clock.now();
    await appendEvent(manager, {
      recordKind: this.kind.kind,
      recordId: record.id,
      actor,
      kind: entry.event,
      fromState: entry.fromState,
      toState: record.state,
      note: entry.note,
      details: entry.details ?? null,
      at: now,
    });
    await appendAudit(manager, now, {
      actor,
      action: `${this.kind.kind}.${entry.event}`,
      recordType: this.kind.kind,
      recordId: this.kind.label(record.id),
      before: entry.before,
      after: entry.after === undefined ? this.kind.snapshot(record) : entry.after,
    });
  }
}
