// Change rules (policy 4.2): the state machine, the approval policy and its guard, windows, conflicts
// and change freezes. Pure, no I/O.
import { hasRole, type Role } from '../people/roles.js';
import { parseTimeInput } from '../time/time-input.js';
import { nextDay, parseWallTime, startOfDay, type WallTime } from '../time/zoned-time.js';

export const CHANGE_RISKS = ['low', 'medium', 'high'] as const;
export type ChangeRisk = (typeof CHANGE_RISKS)[number];

/** standard: pre-approved routine work; normal: assessed by the approvers; emergency: expedited, reviewed afterwards. */
export const CHANGE_TYPES = ['standard', 'normal', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

export const CHANGE_STATES = [
  'draft',
  'submitted',
  'approved',
  'rejected',
  'scheduled',
  'in_progress',
  'completed',
  'rolled_back',
  'failed',
  'reviewed',
] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

export const CHANGE_MOVES = ['submit', 'approve', 'reject', 'schedule', 'start', 'complete', 'roll_back', 'fail', 'review'] as const;
export type ChangeMove = (typeof CHANGE_MOVES)[number];

/** How an implementation ended. */
export const CHANGE_OUTCOMES = ['completed', 'rolled_back', 'failed'] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

const TRANSITIONS: Record<ChangeMove, { from: readonly ChangeState[]; to: ChangeState }> = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  reject: { from: ['submitted'], to: 'rejected' },
  schedule: { from: ['approved'], to: 'scheduled' },
  start: { from: ['scheduled'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  roll_back: { from: ['in_progress'], to: 'rolled_back' },
  fail: { from: ['in_progress'], to: 'failed' },
  review: { from: ['completed', 'rolled_back', 'failed'], to: 'reviewed' },
};

/** The state a move leads to, or undefined when the move is not allowed from `from`. */
export function nextState(from: ChangeState, move: ChangeMove): ChangeState | undefined {
  const rule = TRANSITIONS[move];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function outcomeMove(outcome: ChangeOutcome): ChangeMove {
  return outcome === 'completed' ? 'complete' : outcome === 'rolled_back' ? 'roll_back' : 'fail';
}

/** Approved for implementation: approved and not yet ended. */
export const APPROVED_STATES: readonly ChangeState[] = ['approved', 'scheduled', 'in_progress'];
/** Implementation over (a review may follow). */
export const ENDED_STATES: readonly ChangeState[] = ['completed', 'rolled_back', 'failed', 'reviewed'];

export function isEnded(state: ChangeState): boolean {
  return ENDED_STATES.includes(state);
}

/** An emergency change whose implementation ended waits for a manager's review. */
export function needsReview(change: { type: ChangeType; state: ChangeState }): boolean {
  return change.type === 'emergency' && (change.state === 'completed' || change.state === 'rolled_back' || change.state === 'failed');
}

// ---- approval policy ----------------------------------------------------------------------------

/** Approvals a normal change needs by risk (settings approvals_low / _medium / _high). */
export type ApprovalCounts = Record<ChangeRisk, number>;

export const DEFAULT_APPROVAL_COUNTS: ApprovalCounts = { low: 1, medium: 2, high: 2 };

export interface ApprovalRequirement {
  approvals: number;
  /** At least one of the approvals must come from a manager. */
  managerRequired: boolean;
}

/** DESIGN.md: low 1, medium 2, high 2 including a manager; standard pre-approved; emergency 1 manager. */
export function approvalRequirement(type: ChangeType, risk: ChangeRisk, counts: ApprovalCounts): ApprovalRequirement {
  if (type === 'standard') return { approvals: 0, managerRequired: false };
  if (type === 'emergency') return { approvals: 1, managerRequired: true };
  return { approvals: Math.max(1, counts[risk]), managerRequired: risk === 'high' };
}

export interface Decision {
  approverId: number;
  decision: 'approved' | 'rejected';
  asManager: boolean;
}

export type ApprovalStatus =
  | { outcome: 'approved'; approvals: number }
  | { outcome: 'rejected' }
  | { outcome: 'pending'; approvals: number; needed: number; managerMissing: boolean };

/** Any rejection rejects; otherwise approved once enough distinct approvers (with a manager when needed) approved. */
export function approvalStatus(requirement: ApprovalRequirement, decisions: readonly Decision[]): ApprovalStatus {
  if (decisions.some((d) => d.decision === 'rejected')) return { outcome: 'rejected' };
  const approvers = new Map<number, boolean>();
  for (const d of decisions) approvers.set(d.approverId, (approvers.get(d.approverId) ?? false) || d.asManager);
  const approvals = approvers.size;
  const managerMissing = requirement.managerRequired && ![...approvers.values()].some(Boolean);
  if (approvals >= requirement.approvals && !managerMissing) return { outcome: 'approved', approvals };
  return { outcome: 'pending', approvals, needed: requirement.approvals, managerMissing };
}

/** Who may decide on a change at all: approvers (managers and admins included); managers only for emergencies. */
export function canDecide(roles: readonly Role[], type: ChangeType): boolean {
  return hasRole(roles, type === 'emergency' ? 'manager' : 'approver');
}

export type DecisionRefusal = 'decided' | 'not_approver' | 'manager_only' | 'own_change' | 'already_decided';

/**
 * The one guard every approval and rejection goes through: the change must still wait for decisions,
 * the person must be an approver (a manager for emergencies), never the requester, and decide once.
 */
export function decisionRefusal(
  actor: { personId: number; roles: readonly Role[] },
  change: { requesterId: number; type: ChangeType; state: ChangeState },
  decisions: readonly Pick<Decision, 'approverId'>[],
): DecisionRefusal | undefined {
  if (change.state !== 'submitted') return 'decided';
  if (!hasRole(actor.roles, 'approver')) return 'not_approver';
  if (change.requesterId === actor.personId) return 'own_change';
  if (!canDecide(actor.roles, change.type)) return 'manager_only';
  if (decisions.some((d) => d.approverId === actor.personId)) return 'already_decided';
  return undefined;
}

// ---- windows, conflicts, freezes ------------------------------------------------------------------

export interface TimeWindow {
  start: Date;
  end: Date;
}

/** The longest window a change may ask for. */
export const MAX_WINDOW_MS = 7 * 86_400_000;

export function overlaps(a: TimeWindow, b: TimeWindow): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

export function contains(window: TimeWindow, instant: Date): boolean {
  return window.start.getTime() <= instant.getTime() && instant.getTime() < window.end.getTime();
}

export type WindowProblem = 'format' | 'month' | 'nonexistent' | 'end_before_start' | 'ended' | 'too_long';

export type WindowParse = { ok: true; window: TimeWindow } | { ok: false; errors: Partial<Record<'windowStart' | 'windowEnd', WindowProblem>> };

/** A window edge read like every typed time (src/time/time-input.ts); `+2h` after `base`. */
function readWindowTime(text: string, timeZone: string, now: Date, base?: Date): Date | WindowProblem {
  const read = parseTimeInput(text, { now, timeZone, ...(base ? { base } : {}) });
  if (read.ok) return read.at;
  return read.problem === 'skipped' ? 'nonexistent' : read.problem;
}

/**
 * Reads a window typed in the configured zone (`2026-11-25 22:00`, `22:00`, `now`, an end of `+2h`
 * after the start...) and checks it is usable now.
 */
export function parseWindow(startText: string, endText: string, timeZone: string, now: Date): WindowParse {
  const start = readWindowTime(startText, timeZone, now);
  const end = readWindowTime(endText, timeZone, now, start instanceof Date ? start : undefined);
  const errors: Partial<Record<'windowStart' | 'windowEnd', WindowProblem>> = {};
  if (!(start instanceof Date)) errors.windowStart = start;
  if (!(end instanceof Date)) errors.windowEnd = end;
  if (start instanceof Date && end instanceof Date) {
    const problem = windowProblem({ start, end }, now);
    if (problem) errors.windowEnd = problem;
  }
  if (start instanceof Date && end instanceof Date && Object.keys(errors).length === 0) return { ok: true, window: { start, end } };
  return { ok: false, errors };
}

/** What is wrong with a window as asked for now: it must end after it starts, in the future, within a week. */
export function windowProblem(window: TimeWindow, now: Date): WindowProblem | undefined {
  if (window.end.getTime() <= window.start.getTime()) return 'end_before_start';
  if (window.end.getTime() <= now.getTime()) return 'ended';
  if (window.end.getTime() - window.start.getTime() > MAX_WINDOW_MS) return 'too_long';
  return undefined;
}

/** Configuration items as typed (comma-separated), trimmed, without repeats (case-insensitive). */
export function parseConfigItems(text: string): string[] {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const item = raw.trim();
    if (!item || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    items.push(item);
  }
  return items;
}

export interface ScheduledChange {
  id: number;
  window: TimeWindow;
  configItems: readonly string[];
}

export interface WindowConflict {
  other: ScheduledChange;
  items: string[];
}

/** Other changes whose windows overlap this one on at least one shared configuration item. */
export function conflicts(change: ScheduledChange, others: readonly ScheduledChange[]): WindowConflict[] {
  const mine = new Set(change.configItems.map((i) => i.toLowerCase()));
  const found: WindowConflict[] = [];
  for (const other of others) {
    if (other.id === change.id || !overlaps(change.window, other.window)) continue;
    const items = other.configItems.filter((i) => mine.has(i.toLowerCase()));
    if (items.length > 0) found.push({ other, items });
  }
  return found;
}

/** A change freeze: whole days in the configured zone, both ends included (`2026-12-20..2027-01-03`). */
export interface FreezePeriod {
  from: string;
  to: string;
}

const FREEZE_TEXT = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** Reads the change_freeze setting: periods separated by commas or spaces, or `none`. */
export function parseFreezeList(raw: string): FreezePeriod[] | undefined {
  const text = raw.trim();
  if (text.toLowerCase() === 'none' || text === '') return [];
  const periods: FreezePeriod[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const match = FREEZE_TEXT.exec(part);
    if (!match?.[1] || !match[2]) return undefined;
    if (!parseWallTime(match[1]) || !parseWallTime(match[2]) || match[1] > match[2]) return undefined;
    periods.push({ from: match[1], to: match[2] });
  }
  return periods;
}

export function formatFreezeList(periods: readonly FreezePeriod[]): string {
  return periods.length === 0 ? 'none' : periods.map(formatFreeze).join(', ');
}

export function formatFreeze(period: FreezePeriod): string {
  return `${period.from}..${period.to}`;
}

function calendarDate(text: string): Pick<WallTime, 'year' | 'month' | 'day'> {
  const wall = parseWallTime(text);
  if (!wall) throw new Error(`not a date: ${text}`);
  return wall;
}

/** The instants a freeze covers: from midnight of its first day to midnight after its last day. */
export function freezeWindow(period: FreezePeriod, timeZone: string): TimeWindow {
  return { start: startOfDay(calendarDate(period.from), timeZone), end: startOfDay(nextDay(calendarDate(period.to)), timeZone) };
}

/** The freezes a window falls into (even partly). */
export function freezesHit(window: TimeWindow, periods: readonly FreezePeriod[], timeZone: string): FreezePeriod[] {
  return periods.filter((p) => overlaps(window, freezeWindow(p, timeZone)));
}

/** In a freeze only emergency changes can be scheduled. */
export function mayBeScheduled(type: ChangeType, window: TimeWindow, periods: readonly FreezePeriod[], timeZone: string): boolean {
  return type === 'emergency' || freezesHit(window, periods, timeZone).length === 0;
}

// ---- implementation ------------------------------------------------------------------------------

export type StartRefusal = 'not_approved' | 'not_scheduled' | 'before_window' | 'after_window' | 'already_started';

/**
 * Whether implementation may start now: only a scheduled change, and inside its window unless it is
 * an emergency. `already_started` is a repeated click; every other refusal is a compliance finding.
 */
export function startRefusal(change: { state: ChangeState; type: ChangeType; window: TimeWindow }, now: Date): StartRefusal | undefined {
  switch (change.state) {
    case 'draft':
    case 'submitted':
    case 'rejected':
      return 'not_approved';
    case 'approved':
      return 'not_scheduled';
    case 'scheduled':
      if (change.type === 'emergency') return undefined;
      if (now.getTime() < change.window.start.getTime()) return 'before_window';
      if (now.getTime() >= change.window.end.getTime()) return 'after_window';
      return undefined;
    default:
      return 'already_started';
  }
}

// ---- ids -----------------------------------------------------------------------------------------

export const CHANGE_ID_PREFIX = 'CHG-';

export function formatChangeId(number: number): string {
  return `${CHANGE_ID_PREFIX}${number}`;
}

/** Parses `CHG-13` (any case, surrounding spaces allowed) into 13. */
export function parseChangeId(text: string): number | undefined {
  const match = /^\s*chg-(\d{1,9})\s*$/i.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
