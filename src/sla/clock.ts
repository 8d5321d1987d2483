// The SLA clock of one record, pure: how much working time has run, when each target falls due, and
// which reminder, breach and escalation steps follow from it. No I/O; the service stores the result.
//
// A record has two targets. The response clock runs from creation until the record is acknowledged
// (or taken). The resolution clock runs from creation until it is resolved (or fulfilled) and stops
// while the record waits on the user; the stops are kept as intervals, so deadlines can be recomputed
// exactly when the priority (and so the target and calendar) changes.
import { addWorkingTime, workingTimeBetween, type Calendar } from './calendar.js';

export interface Interval {
  from: Date;
  to: Date;
}

export interface ClockInput {
  start: Date;
  /** Closed intervals in which the clock stood still, in order. */
  stops: readonly Interval[];
  /** The clock stands still since then (waiting on the user, resolved); null while it runs. */
  stoppedSince: Date | null;
}

interface Segment {
  from: number;
  /** null: still running. */
  to: number | null;
}

function segments(input: ClockInput): Segment[] {
  const result: Segment[] = [];
  let from = input.start.getTime();
  for (const stop of input.stops) {
    const stopFrom = Math.max(from, stop.from.getTime());
    if (stopFrom > from) result.push({ from, to: stopFrom });
    from = Math.max(from, stop.to.getTime());
  }
  if (input.stoppedSince === null) result.push({ from, to: null });
  else if (input.stoppedSince.getTime() > from) result.push({ from, to: input.stoppedSince.getTime() });
  return result;
}

/** Working time the clock has run until `until`. */
export function runningTime(input: ClockInput, until: Date, calendar: Calendar): number {
  let total = 0;
  const end = until.getTime();
  for (const segment of segments(input)) {
    if (segment.from >= end) break;
    total += workingTimeBetween(new Date(segment.from), new Date(Math.min(segment.to ?? end, end)), calendar);
  }
  return total;
}

/** The instant the clock reaches `workingMs` of running time; undefined when it stopped before that. */
export function instantAt(input: ClockInput, workingMs: number, calendar: Calendar): Date | undefined {
  let remaining = workingMs;
  for (const segment of segments(input)) {
    if (segment.to === null) return addWorkingTime(new Date(segment.from), remaining, calendar);
    const available = workingTimeBetween(new Date(segment.from), new Date(segment.to), calendar);
    if (remaining <= available) return addWorkingTime(new Date(segment.from), remaining, calendar);
    remaining -= available;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Steps: reminders at fractions of the target, the breach, then escalation levels after it.

export type StepKind = 'remind' | 'breach' | 'escalate';

export interface Step {
  index: number;
  kind: StepKind;
  /** The share of the target used at this step (1 for breach and escalations). */
  fraction: number;
  /** 1 = secondary, 2 = manager (escalations only). */
  level: number;
  /** When it falls due; undefined when the clock stopped before. */
  at: Date | undefined;
}

export interface TargetPlan {
  targetMs: number;
  calendar: Calendar;
  fractions: readonly number[];
  escalationDelays: readonly number[];
}

/** The deadline of a target: when its clock reaches the whole target. */
export function dueAt(input: ClockInput, plan: Pick<TargetPlan, 'targetMs' | 'calendar'>): Date | undefined {
  return instantAt(input, plan.targetMs, plan.calendar);
}

/** Every step of one target in order: one per fraction, the breach, one per escalation level. */
export function stepsOf(input: ClockInput, plan: TargetPlan): Step[] {
  const steps: Step[] = plan.fractions.map((fraction, index) => ({
    index,
    kind: 'remind',
    fraction,
    level: 0,
    at: instantAt(input, Math.round(plan.targetMs * fraction), plan.calendar),
  }));
  const due = dueAt(input, plan);
  steps.push({ index: steps.length, kind: 'breach', fraction: 1, level: 0, at: due });
  plan.escalationDelays.forEach((delay, i) => {
    steps.push({
      index: steps.length,
      kind: 'escalate',
      fraction: 1,
      level: i + 1,
      at: due === undefined ? undefined : addWorkingTime(due, delay, plan.calendar),
    });
  });
  return steps;
}

/** When a step really goes out: a snooze delays reminders, never the breach or an escalation. */
export function effectiveAt(step: Step, snoozedUntil: Date | null): Date | undefined {
  if (step.at === undefined) return undefined;
  if (step.kind === 'remind' && snoozedUntil && snoozedUntil > step.at) return snoozedUntil;
  return step.at;
}

/** The next step still to go out (steps before `done` went out already), if any is scheduled. */
export function nextStep(steps: readonly Step[], done: number, snoozedUntil: Date | null): { step: Step; at: Date } | undefined {
  let best: { step: Step; at: Date } | undefined;
  for (const step of steps.slice(done)) {
    const at = effectiveAt(step, snoozedUntil);
    if (at && (!best || at < best.at)) best = { step, at };
  }
  return best;
}

export interface DueSteps {
  /** Steps to carry out now, in order. */
  send: Step[];
  /** Reminders overtaken by a later due step (after downtime, or snoozed past the breach): not sent. */
  skipped: Step[];
  /** The new count of steps done. */
  done: number;
}

/**
 * The steps due at `now`. Several reminders that fell due together (after downtime) collapse into
 * the latest one; the breach and every escalation always go out.
 */
export function dueSteps(steps: readonly Step[], done: number, snoozedUntil: Date | null, now: Date): DueSteps {
  let last = -1;
  for (const step of steps.slice(done)) {
    const at = effectiveAt(step, snoozedUntil);
    if (at && at <= now) last = step.index;
  }
  if (last === -1) return { send: [], skipped: [], done };
  const send: Step[] = [];
  const skipped: Step[] = [];
  for (const step of steps.slice(done, last + 1)) {
    const overtaken = step.kind === 'remind' && step.index < last;
    (overtaken ? skipped : send).push(step);
  }
  return { send, skipped, done: last + 1 };
}
