// What a record's timeline says, for the KPIs and the audit (docs/kpis.md): who responded and when,
// each resolution and whether it was reopened, the intervals the resolution clock stood still, and
// for a change who started it, how it ended and whether it was compliant. Pure.
import { approvalStatus } from '../changes/rules.js';
import { LOCALES, catalogs } from '../chat/i18n/catalog.js';
import type { Interval } from '../sla/clock.js';
import type { ChangeRecord, ServiceRecord, TimelineStep } from './inputs.js';

interface Lifecycle {
  initial: string;
  resolved: string;
  /** States in which the resolution clock stands still (SLA policy 3.4): waiting on the user, resolved. */
  paused: readonly string[];
  closed: string;
}

const LIFECYCLES: Record<ServiceRecord['kind'], Lifecycle> = {
  fault: { initial: 'reported', resolved: 'resolved', paused: ['waiting_on_user', 'resolved'], closed: 'closed' },
  request: { initial: 'submitted', resolved: 'fulfilled', paused: ['fulfilled'], closed: 'closed' },
};

/**
 * The root cause a monitoring alert's own resolution writes (the alert cleared, nobody worked on it;
 * src/monitoring/intake.ts), in every language: it is written in DEFAULT_LOCALE.
 */
const ALERT_CLEARED = new Set(LOCALES.map((locale) => catalogs[locale]['monitoring.autoresolve.rootCause'].trim().toLowerCase()));

export interface Credit {
  at: Date;
  /** The person credited; null for opsdesk itself. */
  by: number | null;
}

export interface Resolution extends Credit {
  /** When this resolution was undone by a reopen; null when it stands. */
  reopenedAt: Date | null;
}

export interface RecordFacts {
  /**
   * The first move out of the initial state (acknowledge, take, assign, or an immediate resolve), and
   * `from`, when its clock started: the creation, or the latest move back to the initial state (a fault
   * reopened by an alert goes back to Reported and its response clock starts again then, as the SLA's
   * does from faults.response_started_at); a response before such a move is superseded.
   */
  response: (Credit & { from: Date }) | null;
  /** Every entry into the resolved state, in order. */
  resolutions: Resolution[];
  /** The resolution that stands (the record is resolved or closed); null while it is open. */
  final: Credit | null;
  /** Closed intervals in which the resolution clock stood still before the final resolution. */
  pauses: Interval[];
  /** Resolved by opsdesk itself with the root cause "alert cleared": nobody handled it. */
  autoResolved: boolean;
}

function moves<E extends TimelineStep>(events: readonly E[]): E[] {
  return events.filter((e) => e.toState !== null && e.toState !== e.fromState);
}

/** Facts already read, per record object: the weekly report reads each record three times. */
const known = new WeakMap<ServiceRecord, RecordFacts>();

/**
 * Reads a fault's or service request's timeline (events oldest first). The result is remembered for
 * the record object (the weekly report asks for it in both periods' KPIs and in the findings), so
 * neither the record nor the returned facts may be changed afterwards.
 */
export function recordFacts(record: ServiceRecord): RecordFacts {
  const remembered = known.get(record);
  if (remembered) return remembered;
  const facts = readRecordFacts(record);
  known.set(record, facts);
  return facts;
}

function readRecordFacts(record: ServiceRecord): RecordFacts {
  const life = LIFECYCLES[record.kind];
  let response: (Credit & { from: Date }) | null = null;
  let responseFrom = record.createdAt;
  const resolutions: Resolution[] = [];
  const pauses: Interval[] = [];
  let state = life.initial;
  let pausedSince: Date | null = null;
  for (const event of moves(record.events)) {
    const to = event.toState as string;
    if (to === life.initial && state !== life.initial) {
      responseFrom = event.at;
      response = null;
    }
    if (response === null && state === life.initial && to !== life.initial) response = { at: event.at, by: event.actorId, from: responseFrom };
    if (to === life.resolved) resolutions.push({ at: event.at, by: event.actorId, reopenedAt: null });
    const last = resolutions[resolutions.length - 1];
    if (state === life.resolved && to !== life.closed && last) last.reopenedAt = event.at;
    const wasPaused = life.paused.includes(state);
    const isPaused = life.paused.includes(to) || to === life.closed;
    if (!wasPaused && isPaused) pausedSince = event.at;
    if (wasPaused && !isPaused && pausedSince) {
      pauses.push({ from: pausedSince, to: event.at });
      pausedSince = null;
    }
    state = to;
  }
  const standing = resolutions[resolutions.length - 1];
  const final = standing && standing.reopenedAt === null && (state === life.resolved || state === life.closed) ? { at: standing.at, by: standing.by } : null;
  const autoResolved = final !== null && final.by === null && ALERT_CLEARED.has((record.rootCause ?? '').trim().toLowerCase());
  return { response, resolutions, final, pauses, autoResolved };
}

export const CHANGE_OUTCOME_STATES = ['completed', 'rolled_back', 'failed'] as const;
export type ChangeEnd = (typeof CHANGE_OUTCOME_STATES)[number];

export interface ChangeFacts {
  /** The start of the implementation: the implementer credited, from the timeline. */
  start: Credit | null;
  end: (Credit & { outcome: ChangeEnd }) | null;
  /** Starts refused as compliance findings (before approval, outside the window). */
  refusedStarts: (Credit & { reason: string | null })[];
  /** The approvals required were given before the start (standard changes are pre-approved). */
  approvedBeforeStart: boolean;
  /** Started inside its window; emergencies may start at any time (policy 4.2). */
  insideWindow: boolean;
  rejected: boolean;
}

/** Reads a change's timeline and approvals. */
export function changeFacts(change: ChangeRecord): ChangeFacts {
  const all = moves(change.events);
  const startEvent = all.find((e) => e.toState === 'in_progress');
  const endEvent = all.find((e) => e.fromState === 'in_progress' && (CHANGE_OUTCOME_STATES as readonly string[]).includes(e.toState as string));
  const start = startEvent ? { at: startEvent.at, by: startEvent.actorId } : null;
  const decidedBefore = change.approvals.filter((a) => start === null || a.at.getTime() <= start.at.getTime());
  const status = approvalStatus({ approvals: change.approvalsRequired, managerRequired: change.managerRequired }, decidedBefore);
  const t = start?.at.getTime();
  return {
    start,
    end: endEvent ? { at: endEvent.at, by: endEvent.actorId, outcome: endEvent.toState as ChangeEnd } : null,
    refusedStarts: change.events.filter((e) => e.kind === 'compliance_violation').map((e) => ({ at: e.at, by: e.actorId, reason: e.note })),
    approvedBeforeStart: change.type === 'standard' || status.outcome === 'approved',
    insideWindow: change.type === 'emergency' || t === undefined || (t >= change.windowStart.getTime() && t < change.windowEnd.getTime()),
    rejected: change.approvals.some((a) => a.decision === 'rejected') || change.state === 'rejected',
  };
}
