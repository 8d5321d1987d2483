// The shared timeline (`record_events`): writing one line, reading a record's lines with the names of
// the people in them, and finding who took a step first (for "already acknowledged by … at …").
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { formatTime, type PersonView } from '../chat/format.js';
import type { MessageKey } from '../chat/i18n/catalog.js';
import { ConflictError } from '../errors.js';
import type { Party } from '../people/actor.js';
import { peopleViews } from '../people/views.js';
import { Person, RecordEvent, type EventDetails } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

/** One line to append to a record's timeline. */
export interface TimelineLine {
  recordKind: string;
  recordId: number;
  actor: Party;
  kind: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
  details?: EventDetails | null;
  at: Date;
}

/** A timeline line with the display name of who acted (null for opsdesk itself or someone unknown). */
export interface TimelineEntry {
  event: RecordEvent;
  actor: string | null;
}

function eventRow(line: TimelineLine): Partial<RecordEvent> {
  return {
    recordKind: line.recordKind,
    recordId: line.recordId,
    actorId: line.actor.personId,
    kind: line.kind,
    fromState: line.fromState,
    toState: line.toState,
    note: line.note,
    details: line.details ?? null,
    createdAt: line.at,
  };
}

/** Appends one line (one fixed INSERT statement: every change writes one) and returns it with its id. */
export async function appendEvent(manager: EntityManager, line: TimelineLine): Promise<RecordEvent> {
  const row = eventRow(line);
  const id = await PlainSql.of(manager).insert(manager, RecordEvent, row);
  return manager.create(RecordEvent, { ...row, id });
}

/** SQLite binds at most 999 parameters per statement; a line binds 9, so 100 lines a statement. */
const LINES_PER_INSERT = 100;

/**
 * Appends many lines at once (an alert storm writes hundreds) in multi-row inserts, without reading
 * the generated ids back; the lines keep their order.
 */
export async function appendEvents(manager: EntityManager, lines: readonly TimelineLine[]): Promise<void> {
  for (let i = 0; i < lines.length; i += LINES_PER_INSERT) {
    // `details` is written through its JSON transformer, which TypeORM's partial-entity type cannot see.
    const rows = lines.slice(i, i + LINES_PER_INSERT).map(eventRow) as QueryDeepPartialEntity<RecordEvent>[];
    await manager.createQueryBuilder().insert().into(RecordEvent).values(rows).updateEntity(false).execute();
  }
}

/** A record's events, oldest first. */
export function eventsOf(manager: EntityManager, recordKind: string, recordId: number): Promise<RecordEvent[]> {
  return manager.find(RecordEvent, { where: { recordKind, recordId }, order: { id: 'ASC' } });
}

/**
 * A record's timeline with actors' names, and the views of those people plus `others` (the record's
 * reporter, assignee, …), for a detail card.
 */
export async function readTimeline(
  manager: EntityManager,
  recordKind: string,
  recordId: number,
  others: (number | null)[],
): Promise<{ timeline: TimelineEntry[]; people: Map<number, PersonView> }> {
  const events = await eventsOf(manager, recordKind, recordId);
  const ids = [...others, ...events.map((e) => e.actorId)].filter((v): v is number => v !== null);
  const { views } = await peopleViews(manager, ids);
  const timeline = events.map((event) => ({ event, actor: event.actorId === null ? null : (views.get(event.actorId)?.displayName ?? null) }));
  return { timeline, people: views };
}

/** The latest event of this kind on the record and who took it ('—' for opsdesk or someone unknown). */
export async function lastStep(
  manager: EntityManager,
  recordKind: string,
  recordId: number,
  kind: string,
): Promise<{ event: RecordEvent; person: string } | undefined> {
  const event = await manager.findOne(RecordEvent, { where: { recordKind, recordId, kind }, order: { id: 'DESC' } });
  if (!event) return undefined;
  const person = event.actorId === null ? null : await manager.findOne(Person, { where: { id: event.actorId } });
  return { event, person: person?.displayName ?? '—' };
}

/** The catalog keys of a refused move: the kind's "cannot move", the state and move names, and "already done". */
export interface RefusalKeys {
  /** The id people see, e.g. `INC-4`. */
  id: string;
  /** When the move was made before: gets {id}, {person} and {time} of the latest one. */
  repeated?: MessageKey | undefined;
  /** Otherwise: gets {id}, {state} and {move}. */
  cannotMove: MessageKey;
  state: MessageKey;
  move: MessageKey;
}

/**
 * Why a move is not possible from the record's state: a repeated move (a double click, a second
 * engineer) names who was first and when (in `timeZone`), anything else names the state and the move.
 */
export async function refuseMove(manager: EntityManager, recordKind: string, record: { id: number }, move: string, keys: RefusalKeys, timeZone: string): Promise<ConflictError> {
  const earlier = keys.repeated ? await lastStep(manager, recordKind, record.id, move) : undefined;
  if (keys.repeated && earlier) return new ConflictError(keys.repeated, { id: keys.id, person: earlier.person, time: formatTime(earlier.event.createdAt, timeZone) });
  return new ConflictError(keys.cannotMove, { id: keys.id, state: { key: keys.state }, move: { key: keys.move } });
}
