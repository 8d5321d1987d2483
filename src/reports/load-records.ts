// Loader: faults and service requests with their timelines (`record_events`), as plain ServiceRecord
// values. One of the few files that read the database for the reports (the others are load-*.ts).
// Reads only what the period needs, through indexes, as raw rows (no entity hydration): over
// 1,000,000 records a scan or hydration costs seconds (bench/results.md, issue #13).
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { FAULT_STATES, formatFaultId, type Priority } from '../faults/rules.js';
import { formatRequestId, REQUEST_STATES } from '../requests/rules.js';
import { Fault, RecordEvent, ServiceRequest } from '../store/entities/index.js';
import type { Period, ServiceRecord, TimelineEvent, TimelineStep } from './inputs.js';

const BATCH = 5000;

/** Dates are stored as ISO 8601 text (src/store/columns.ts), so they compare and bind as text. */
export const isoText = (d: Date): string => d.toISOString();
const dateOf = (v: string | null): Date | null => (v === null ? null : new Date(v));

/** Ids in chunks small enough for an IN list on SQLite and PostgreSQL. */
export function chunks(ids: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) out.push(ids.slice(i, i + BATCH));
  return out;
}

/** The record tables the reports read: the table, its timeline's record kind, and its open states. */
export const RECORD_TABLES = {
  fault: { table: Fault, open: FAULT_STATES.filter((s) => s !== 'closed'), stateIndex: 'IDX_faults_state' },
  request: { table: ServiceRequest, open: REQUEST_STATES.filter((s) => s !== 'closed'), stateIndex: 'IDX_service_requests_state' },
} as const;

/**
 * The event kinds stored for one record kind, one index seek each in IDX_record_events_kind_time
 * (a loose index scan): with them, a time range over that index needs no full scan.
 */
export async function eventKinds(manager: EntityManager, recordKind: string): Promise<string[]> {
  const kinds: string[] = [];
  for (;;) {
    const qb = manager.createQueryBuilder().select('MIN(e.kind)', 'kind').from(RecordEvent, 'e').where('e.record_kind = :recordKind', { recordKind });
    if (kinds.length > 0) qb.andWhere('e.kind > :after', { after: kinds[kinds.length - 1] });
    const row = await qb.getRawOne<{ kind: string | null }>();
    if (!row || row.kind === null) return kinds;
    kinds.push(row.kind);
  }
}

/**
 * Restricts `qb` (over record_events as `alias`) to events of `recordKind` at or after `from` and
 * before `to` (when given), through IDX_record_events_kind_time. Returns false when the kind has no events.
 */
export async function eventsBetween<T extends ObjectLiteral>(manager: EntityManager, qb: SelectQueryBuilder<T>, alias: string, recordKind: string, from: Date, to?: Date): Promise<boolean> {
  const kinds = await eventKinds(manager, recordKind);
  if (kinds.length === 0) return false;
  qb.andWhere(`${alias}.record_kind = :recordKind AND ${alias}.kind IN (:...kinds) AND ${alias}.created_at >= :from`, { recordKind, kinds, from: isoText(from) });
  if (to) qb.andWhere(`${alias}.created_at < :to`, { to: isoText(to) });
  return true;
}

interface EventRow {
  id: number;
  record_id: number;
  actor_id: number | null;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  created_at: string;
}

/** The timelines of these records of one kind, oldest first, through the (record_kind, record_id) index (the changes' loader). */
async function timelines(manager: EntityManager, recordKind: string, ids: readonly number[]): Promise<Map<number, TimelineEvent[]>> {
  const map = new Map<number, TimelineEvent[]>();
  for (const chunk of chunks(ids)) {
    const rows = await manager
      .createQueryBuilder()
      .select(['e.id AS id', 'e.record_id AS record_id', 'e.actor_id AS actor_id', 'e.kind AS kind', 'e.from_state AS from_state', 'e.to_state AS to_state', 'e.note AS note', 'e.created_at AS created_at'])
      .from(RecordEvent, 'e')
      .where('e.record_kind = :recordKind AND e.record_id IN (:...ids)', { recordKind, ids: chunk })
      .getRawMany<EventRow>();
    // Sorted here: an ORDER BY e.id lets SQLite walk the primary key (all events) instead of the index.
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    for (const e of rows) {
      const list = map.get(Number(e.record_id)) ?? [];
      list.push({ at: new Date(e.created_at), actorId: e.actor_id === null ? null : Number(e.actor_id), kind: e.kind, fromState: e.from_state, toState: e.to_state, note: e.note });
      map.set(Number(e.record_id), list);
    }
  }
  return map;
}

/** The timelines of changes (see timelines), for load-changes.ts. */
export const changeTimelines = (manager: EntityManager, ids: readonly number[]) => timelines(manager, 'change', ids);

interface RecordRow {
  id: number;
  title: string;
  priority: Priority;
  state: string;
  created_at: string;
  resolve_due_at: string | null;
  response_due_at: string | null;
  response_breached_at: string | null;
  resolve_breached_at: string | null;
  category: string;
  requester_id: number;
  root_cause: string | null;
  affected_system: string | null;
  /** The timeline, see STEP and stepsOf; null without events. */
  steps: string | null;
}

/**
 * One timeline line as text, `kind from to actor at` (empty for null; kinds and states are code
 * identifiers and times ISO 8601, none with a space or a comma). A record's lines come joined by commas
 * in one column of its row: turning 90,000 event rows into JS objects cost more than the whole query
 * (bench/results.md, reports), one string per record does not.
 */
const STEP = "e.kind || ' ' || COALESCE(e.from_state, '') || ' ' || COALESCE(e.to_state, '') || ' ' || COALESCE(CAST(e.actor_id AS TEXT), '') || ' ' || e.created_at";

/** The timeline of the record `r` as one column: its lines in id order (the timeline's order), comma-joined. */
function stepsColumn(manager: EntityManager): (sub: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral> {
  // Both aggregates take an ORDER BY: PostgreSQL's string_agg, SQLite's group_concat since 3.44.
  const aggregate = manager.connection.options.type === 'postgres' ? 'string_agg' : 'group_concat';
  return (sub) => sub.select(`${aggregate}(${STEP}, ',' ORDER BY e.id)`).from(RecordEvent, 'e').where('e.record_kind = :recordKind AND e.record_id = r.id');
}

/**
 * Parses the steps column (stepsColumn) back into the timeline, oldest first. Throws when a line does
 * not have its five fields (an event kind or state with a space or comma): wrong figures would be worse.
 */
export function stepsOf(text: string | null): TimelineStep[] {
  if (text === null || text === '') return [];
  return text.split(',').map((line) => {
    const fields = line.split(' ');
    const [kind = '', from = '', to = '', actor = '', at = ''] = fields;
    if (fields.length !== 5) throw new Error(`unreadable timeline line "${line}": kinds and states must not contain spaces or commas`);
    return { at: new Date(at), actorId: actor === '' ? null : Number(actor), kind, fromState: from === '' ? null : from, toState: to === '' ? null : to };
  });
}

/**
 * Ids of the records of one kind that matter for `period`: created before its end and either still
 * open (IDX_*_state) or with an event since its start (IDX_record_events_kind_time).
 */
async function relevantIds(manager: EntityManager, kind: keyof typeof RECORD_TABLES, period: Period): Promise<number[]> {
  const { table, open, stateIndex } = RECORD_TABLES[kind];
  const ids = new Set<number>();
  const openQuery = manager.createQueryBuilder().select('r.id', 'id').from(table, 'r').where('r.state IN (:...open) AND r.created_at < :to', { open, to: isoText(period.to) });
  const openRows =
    manager.connection.options.type === 'postgres'
      ? await openQuery.getRawMany<{ id: number }>()
      : // After ANALYZE, SQLite's planner sees two common states (resolved, closed) and scans the table
        // rather than use the state index, though open records are few: name the index.
        await (() => {
          const [sql, params] = openQuery.getQueryAndParameters();
          return manager.query<{ id: number }[]>(sql.replace(/FROM "(\w+)" "r"/, `FROM "$1" "r" INDEXED BY "${stateIndex}"`), params);
        })();
  for (const r of openRows) ids.add(Number(r.id));
  // No DISTINCT: with it SQLite walks the (record_kind, record_id) index in order instead of the time range.
  const touched = manager.createQueryBuilder().select('e.record_id', 'id').from(RecordEvent, 'e');
  if (await eventsBetween(manager, touched, 'e', kind, period.from)) for (const r of await touched.getRawMany<{ id: number }>()) ids.add(Number(r.id));
  return [...ids].sort((a, b) => a - b);
}

/** The rows of these records created before `to`, each with its timeline (stepsColumn), in id order. */
async function recordRows(manager: EntityManager, kind: keyof typeof RECORD_TABLES, ids: readonly number[], to: Date): Promise<RecordRow[]> {
  const columns =
    kind === 'fault'
      ? ['r.category AS category', 'r.reporter_id AS requester_id', 'r.root_cause AS root_cause', 'r.affected_system AS affected_system']
      : ['r.request_type AS category', 'r.requester_id AS requester_id', 'NULL AS root_cause', 'NULL AS affected_system'];
  const rows: RecordRow[] = [];
  for (const chunk of chunks(ids)) {
    rows.push(
      ...(await manager
        .createQueryBuilder()
        .select(['r.id AS id', 'r.title AS title', 'r.priority AS priority', 'r.state AS state', 'r.created_at AS created_at', 'r.resolve_due_at AS resolve_due_at', 'r.response_due_at AS response_due_at', 'r.response_breached_at AS response_breached_at', 'r.resolve_breached_at AS resolve_breached_at', ...columns])
        .addSelect(stepsColumn(manager), 'steps')
        .from(RECORD_TABLES[kind].table, 'r')
        .where('r.id IN (:...ids) AND r.created_at < :to', { ids: chunk, to: isoText(to), recordKind: kind })
        .orderBy('r.id')
        .getRawMany<RecordRow>()),
    );
  }
  return rows;
}

/**
 * Faults and requests that matter for `period`: created before its end and either still open or
 * with a timeline event since its start (a record untouched since before the period has no step in it).
 */
export async function loadServiceRecords(manager: EntityManager, period: Period): Promise<ServiceRecord[]> {
  const out: ServiceRecord[] = [];
  for (const kind of ['fault', 'request'] as const) {
    for (const r of await recordRows(manager, kind, await relevantIds(manager, kind, period), period.to)) {
      const id = Number(r.id);
      out.push({
        id,
        kind,
        ref: kind === 'fault' ? formatFaultId(id) : formatRequestId(id),
        title: r.title,
        priority: r.priority,
        state: r.state,
        createdAt: new Date(r.created_at),
        resolveDueAt: dateOf(r.resolve_due_at),
        responseDueAt: dateOf(r.response_due_at),
        responseBreachedAt: dateOf(r.response_breached_at),
        resolveBreachedAt: dateOf(r.resolve_breached_at),
        category: r.category,
        requesterId: Number(r.requester_id),
        rootCause: r.root_cause,
        configItems: r.affected_system ? [r.affected_system] : [],
        events: stepsOf(r.steps),
      });
    }
  }
  return out;
}
