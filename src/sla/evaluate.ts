// From a record's facts (created, responded, whether its state stops the resolution clock) and the
// policy in force to the SLA fields stored on it: deadlines, breaches, pauses and the next reminder.
// Pure; the SLA service runs it on every change of the record and the sweep on every due record.
import { dueAt, nextStep, stepsOf, type ClockInput, type Interval, type Step, type TargetPlan } from './clock.js';
import { calendarOf, type SlaPolicy, type TargetSpec } from './policy.js';
import type { SlaTracked } from '../store/entities/sla-tracked.js';

export const SLA_TARGETS = ['response', 'resolve'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** What the SLA needs to know about a record, whatever its kind. */
export interface SlaFacts {
  createdAt: Date;
  /**
   * When the response clock started, if not at `createdAt`: a fault opsdesk reopened back to Reported
   * (an alert fired again) needs acknowledging anew, so its response clock starts at the reopening.
   * The resolution clock is not restarted: as after any reopen it runs on, the time resolved not counted.
   */
  responseStartedAt?: Date | null;
  /** Acknowledged (fault) or taken / assigned (request); null until then. */
  respondedAt: Date | null;
  /** The state stops the resolution clock: waiting on the user, resolved, fulfilled. */
  resolutionStopped: boolean;
  /** Closed for good: nothing more is scheduled. */
  finished: boolean;
}

export type SlaFields = Pick<
  SlaTracked,
  | 'responseDueAt'
  | 'resolveDueAt'
  | 'responseBreachedAt'
  | 'resolveBreachedAt'
  | 'slaStops'
  | 'slaStoppedSince'
  | 'slaSnoozedUntil'
  | 'slaResponseStep'
  | 'slaResolveStep'
  | 'nextReminderAt'
>;

export function slaFieldsOf(record: SlaFields): SlaFields {
  return {
    responseDueAt: record.responseDueAt,
    resolveDueAt: record.resolveDueAt,
    responseBreachedAt: record.responseBreachedAt,
    resolveBreachedAt: record.resolveBreachedAt,
    slaStops: record.slaStops ?? [],
    slaStoppedSince: record.slaStoppedSince,
    slaSnoozedUntil: record.slaSnoozedUntil,
    slaResponseStep: record.slaResponseStep ?? 0,
    slaResolveStep: record.slaResolveStep ?? 0,
    nextReminderAt: record.nextReminderAt,
  };
}

export interface TargetState {
  target: SlaTarget;
  plan: TargetPlan;
  input: ClockInput;
  steps: Step[];
  /** Steps can still go out: the target is neither met nor standing still, the record not closed. */
  open: boolean;
  done: number;
  dueAt: Date | undefined;
}

export interface Evaluation {
  fields: SlaFields;
  targets: Record<SlaTarget, TargetState>;
  /** Targets whose breach this evaluation found first. */
  newlyBreached: SlaTarget[];
}

function planOf(spec: TargetSpec, target: SlaTarget, policy: SlaPolicy): TargetPlan {
  return {
    targetMs: target === 'response' ? spec.responseMs : spec.resolveMs,
    calendar: calendarOf(policy, spec.calendar),
    fractions: policy.fractions,
    escalationDelays: policy.escalationDelays,
  };
}

/** Opens or closes a stop of the resolution clock as the state demands. */
function updatedStops(current: SlaFields, stopped: boolean, now: Date): { slaStops: Interval[]; slaStoppedSince: Date | null } {
  const stops = current.slaStops ?? [];
  if (stopped) return { slaStops: stops, slaStoppedSince: current.slaStoppedSince ?? now };
  if (current.slaStoppedSince === null) return { slaStops: stops, slaStoppedSince: null };
  const from = current.slaStoppedSince;
  return { slaStops: from < now ? [...stops, { from, to: now }] : stops, slaStoppedSince: null };
}

/** Whether a target missed its deadline by `now`: running past it, or met (stopped) only after it. */
function breached(due: Date | undefined, running: boolean, stoppedAt: Date | null, now: Date): boolean {
  if (due === undefined) return false;
  if (running) return due <= now;
  return stoppedAt !== null && due < stoppedAt;
}

/** The next instant the sweep should look at the record: the earliest pending step of an open target. */
export function nextReminderAt(targets: Record<SlaTarget, TargetState>, snoozedUntil: Date | null): Date | null {
  let next: Date | null = null;
  for (const target of SLA_TARGETS) {
    const state = targets[target];
    if (!state.open) continue;
    const found = nextStep(state.steps, state.done, snoozedUntil);
    if (found && (next === null || found.at < next)) next = found.at;
  }
  return next;
}

/**
 * Recomputes the SLA of a record at `now`: pauses, deadlines, breaches and the next reminder. Steps
 * already done stay done (the counters only grow), so nothing is sent twice after a recompute.
 */
export function evaluate(facts: SlaFacts, current: SlaFields, spec: TargetSpec, policy: SlaPolicy, now: Date): Evaluation {
  const stops = updatedStops(current, facts.resolutionStopped || facts.finished, now);
  const responseInput: ClockInput = { start: facts.responseStartedAt ?? facts.createdAt, stops: [], stoppedSince: null };
  const resolveInput: ClockInput = { start: facts.createdAt, stops: stops.slaStops, stoppedSince: stops.slaStoppedSince };
  const responsePlan = planOf(spec, 'response', policy);
  const resolvePlan = planOf(spec, 'resolve', policy);
  const responseDue = dueAt(responseInput, responsePlan);
  const resolveDue = dueAt(resolveInput, resolvePlan);

  const targets: Record<SlaTarget, TargetState> = {
    response: {
      target: 'response',
      plan: responsePlan,
      input: responseInput,
      steps: stepsOf(responseInput, responsePlan),
      open: facts.respondedAt === null && !facts.finished,
      done: current.slaResponseStep ?? 0,
      dueAt: responseDue,
    },
    resolve: {
      target: 'resolve',
      plan: resolvePlan,
      input: resolveInput,
      steps: stepsOf(resolveInput, resolvePlan),
      open: stops.slaStoppedSince === null && !facts.finished,
      done: current.slaResolveStep ?? 0,
      dueAt: resolveDue,
    },
  };

  const newlyBreached: SlaTarget[] = [];
  let responseBreachedAt = current.responseBreachedAt;
  if (!responseBreachedAt && breached(responseDue, facts.respondedAt === null, facts.respondedAt, now)) {
    responseBreachedAt = responseDue ?? null;
    newlyBreached.push('response');
  }
  let resolveBreachedAt = current.resolveBreachedAt;
  if (!resolveBreachedAt && breached(resolveDue, stops.slaStoppedSince === null, stops.slaStoppedSince, now)) {
    resolveBreachedAt = resolveDue ?? null;
    newlyBreached.push('resolve');
  }

  const fields: SlaFields = {
    responseDueAt: responseDue ?? null,
    // While the resolution clock stands still there is no deadline, unless it was already missed.
    resolveDueAt: stops.slaStoppedSince === null || resolveBreachedAt ? (resolveDue ?? null) : null,
    responseBreachedAt,
    resolveBreachedAt,
    ...stops,
    slaSnoozedUntil: current.slaSnoozedUntil,
    slaResponseStep: targets.response.done,
    slaResolveStep: targets.resolve.done,
    nextReminderAt: null,
  };
  fields.nextReminderAt = nextReminderAt(targets, fields.slaSnoozedUntil);
  return { fields, targets, newlyBreached };
}
