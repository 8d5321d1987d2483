import { describe, expect, it } from 'vitest';
import { ALWAYS, businessCalendar, parseWeekHours } from '../../src/sla/calendar.js';
import { dueSteps, instantAt, nextStep, runningTime, stepsOf, type ClockInput, type Step } from '../../src/sla/clock.js';
import { evaluate, type SlaFacts, type SlaFields } from '../../src/sla/evaluate.js';
import { slaPolicyFrom, type SlaPolicy } from '../../src/sla/policy.js';
import type { Priority } from '../../src/faults/rules.js';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined | null) => d?.toISOString() ?? null;

const policy: SlaPolicy = slaPolicyFrom(new Map(), 'Europe/Berlin');

function blank(): SlaFields {
  return {
    responseDueAt: null,
    resolveDueAt: null,
    responseBreachedAt: null,
    resolveBreachedAt: null,
    slaStops: [],
    slaStoppedSince: null,
    slaSnoozedUntil: null,
    slaResponseStep: 0,
    slaResolveStep: 0,
    nextReminderAt: null,
  };
}

const open = (createdAt: string): SlaFacts => ({ createdAt: at(createdAt), respondedAt: null, resolutionStopped: false, finished: false });

/** Every step of both targets as [kind@fraction|level, ISO time]. */
function schedule(priority: Priority, createdAt: string) {
  const ev = evaluate(open(createdAt), blank(), policy.targets.fault[priority], policy, at(createdAt));
  const show = (steps: Step[]) => steps.map((s) => `${s.kind === 'escalate' ? `escalate${s.level}` : s.kind}@${s.fraction} ${iso(s.at)}`);
  return { response: show(ev.targets.response.steps), resolve: show(ev.targets.resolve.steps), fields: ev.fields };
}

describe('the SLA clock with pauses', () => {
  const office = businessCalendar('Europe/Berlin', parseWeekHours('Mon-Fri 09:00-18:00') ?? { week: [], text: '' }, []);

  it('does not count the time it stands still (24x7)', () => {
    const input: ClockInput = { start: at('2026-11-23T09:00:00Z'), stops: [{ from: at('2026-11-23T10:00:00Z'), to: at('2026-11-23T11:30:00Z') }], stoppedSince: null };
    expect(runningTime(input, at('2026-11-23T12:00:00Z'), ALWAYS)).toBe(1.5 * H);
    expect(iso(instantAt(input, 2 * H, ALWAYS))).toBe('2026-11-23T12:30:00.000Z');
  });

  it('has no deadline while it stands still, and resumes with what was left', () => {
    const paused: ClockInput = { start: at('2026-11-23T09:00:00Z'), stops: [], stoppedSince: at('2026-11-23T10:00:00Z') };
    expect(instantAt(paused, 2 * H, ALWAYS)).toBeUndefined();
    expect(iso(instantAt(paused, 30 * M, ALWAYS))).toBe('2026-11-23T09:30:00.000Z');
    expect(runningTime(paused, at('2026-11-24T00:00:00Z'), ALWAYS)).toBe(1 * H);
    const resumed: ClockInput = { start: paused.start, stops: [{ from: at('2026-11-23T10:00:00Z'), to: at('2026-11-24T08:00:00Z') }], stoppedSince: null };
    expect(iso(instantAt(resumed, 2 * H, ALWAYS))).toBe('2026-11-24T09:00:00.000Z');
  });

  it('combines pauses with business hours: a pause over the evening costs only the working time in it', () => {
    // Started Mon 16:00 Berlin, paused 17:00-Tue 10:00 (1 h of working time), 3 h target.
    const input: ClockInput = { start: at('2026-11-23T15:00:00Z'), stops: [{ from: at('2026-11-23T16:00:00Z'), to: at('2026-11-24T09:00:00Z') }], stoppedSince: null };
    // Runs Mon 16-17 (1 h), then from Tue 10:00: 2 h more -> Tue 12:00 Berlin.
    expect(iso(instantAt(input, 3 * H, office))).toBe('2026-11-24T11:00:00.000Z');
    expect(runningTime(input, at('2026-11-24T11:00:00Z'), office)).toBe(3 * H);
  });
});

describe('reminder thresholds per priority (defaults: 50/75/90 %, escalation 0 and 30 min after the breach)', () => {
  it('P1 (15 min / 4 h, 24x7), reported Saturday night', () => {
    const s = schedule('P1', '2026-11-28T22:00:00Z');
    expect(s.response).toEqual([
      'remind@0.5 2026-11-28T22:07:30.000Z',
      'remind@0.75 2026-11-28T22:11:15.000Z',
      'remind@0.9 2026-11-28T22:13:30.000Z',
      'breach@1 2026-11-28T22:15:00.000Z',
      'escalate1@1 2026-11-28T22:15:00.000Z',
      'escalate2@1 2026-11-28T22:45:00.000Z',
    ]);
    expect(s.resolve).toEqual([
      'remind@0.5 2026-11-29T00:00:00.000Z',
      'remind@0.75 2026-11-29T01:00:00.000Z',
      'remind@0.9 2026-11-29T01:36:00.000Z',
      'breach@1 2026-11-29T02:00:00.000Z',
      'escalate1@1 2026-11-29T02:00:00.000Z',
      'escalate2@1 2026-11-29T02:30:00.000Z',
    ]);
    expect(iso(s.fields.responseDueAt)).toBe('2026-11-28T22:15:00.000Z');
    expect(iso(s.fields.resolveDueAt)).toBe('2026-11-29T02:00:00.000Z');
    expect(iso(s.fields.nextReminderAt)).toBe('2026-11-28T22:07:30.000Z');
  });

  it('P2 (30 min / 8 h, 24x7)', () => {
    const s = schedule('P2', '2026-11-23T09:00:00Z');
    expect(s.response.slice(0, 4)).toEqual([
      'remind@0.5 2026-11-23T09:15:00.000Z',
      'remind@0.75 2026-11-23T09:22:30.000Z',
      'remind@0.9 2026-11-23T09:27:00.000Z',
      'breach@1 2026-11-23T09:30:00.000Z',
    ]);
    expect(s.resolve.slice(0, 4)).toEqual([
      'remind@0.5 2026-11-23T13:00:00.000Z',
      'remind@0.75 2026-11-23T15:00:00.000Z',
      'remind@0.9 2026-11-23T16:12:00.000Z',
      'breach@1 2026-11-23T17:00:00.000Z',
    ]);
  });

  it('P3 (2 h / 24 h, business hours), reported Monday 16:00 Berlin: over the evening', () => {
    const s = schedule('P3', '2026-11-23T15:00:00Z');
    expect(s.response).toEqual([
      'remind@0.5 2026-11-23T16:00:00.000Z', // Mon 17:00
      'remind@0.75 2026-11-23T16:30:00.000Z', // Mon 17:30
      'remind@0.9 2026-11-23T16:48:00.000Z', // Mon 17:48
      'breach@1 2026-11-23T17:00:00.000Z', // Mon 18:00, closing time
      'escalate1@1 2026-11-23T17:00:00.000Z',
      'escalate2@1 2026-11-24T08:30:00.000Z', // 30 working minutes later: Tue 09:30
    ]);
    expect(s.resolve.slice(0, 4)).toEqual([
      'remind@0.5 2026-11-25T09:00:00.000Z', // 12 h: Mon 2 + Tue 9 + Wed 1 -> Wed 10:00
      'remind@0.75 2026-11-25T15:00:00.000Z', // 18 h -> Wed 16:00
      'remind@0.9 2026-11-26T09:36:00.000Z', // 21 h 36 min -> Thu 10:36
      'breach@1 2026-11-26T12:00:00.000Z', // 24 h -> Thu 13:00
    ]);
  });

  it('P4 (4 h / 72 h, business hours), reported Friday 16:00 Berlin: over the weekend', () => {
    const s = schedule('P4', '2026-11-27T15:00:00Z');
    expect(s.response.slice(0, 4)).toEqual([
      'remind@0.5 2026-11-27T17:00:00.000Z', // Fri 18:00
      'remind@0.75 2026-11-30T09:00:00.000Z', // Mon 10:00
      'remind@0.9 2026-11-30T09:36:00.000Z', // Mon 10:36
      'breach@1 2026-11-30T10:00:00.000Z', // Mon 11:00
    ]);
    // 72 working hours = 8 working days: Fri 2 h, Mon-Fri 45 h, Mon-Tue 18 h, Wed 7 h -> Wed 9 Dec 16:00.
    expect(s.resolve[3]).toBe('breach@1 2026-12-09T15:00:00.000Z');
  });

  it('uses configured fractions and escalation delays', () => {
    const custom = slaPolicyFrom(new Map([['reminder_fractions', '25%, 80%'], ['escalation_delays', '5m, 1h'], ['sla_fault_p1', '10m/2h 24x7']]), 'UTC');
    const ev = evaluate(open('2026-11-23T09:00:00Z'), blank(), custom.targets.fault.P1, custom, at('2026-11-23T09:00:00Z'));
    expect(ev.targets.response.steps.map((s) => iso(s.at))).toEqual([
      '2026-11-23T09:02:30.000Z',
      '2026-11-23T09:08:00.000Z',
      '2026-11-23T09:10:00.000Z',
      '2026-11-23T09:15:00.000Z',
      '2026-11-23T10:10:00.000Z',
    ]);
  });
});

describe('evaluating a record over its life', () => {
  const P1 = policy.targets.fault.P1;

  it('stops the response clock at acknowledgement and records a late one as a breach at the deadline', () => {
    const created = '2026-11-23T09:00:00Z';
    const onTime = evaluate({ ...open(created), respondedAt: at('2026-11-23T09:10:00Z') }, blank(), P1, policy, at('2026-11-23T09:10:00Z'));
    expect(onTime.fields.responseBreachedAt).toBeNull();
    expect(onTime.targets.response.open).toBe(false);
    expect(iso(onTime.fields.nextReminderAt)).toBe('2026-11-23T11:00:00.000Z'); // 50 % of 4 h resolution

    const late = evaluate({ ...open(created), respondedAt: at('2026-11-23T09:20:00Z') }, blank(), P1, policy, at('2026-11-23T09:20:00Z'));
    expect(iso(late.fields.responseBreachedAt)).toBe('2026-11-23T09:15:00.000Z');
    expect(late.newlyBreached).toEqual(['response']);
  });

  it('pauses the resolution clock while waiting on the user and shifts the deadline by the pause', () => {
    const created = '2026-11-23T09:00:00Z';
    const acked = { ...open(created), respondedAt: at('2026-11-23T09:05:00Z') };
    const waiting = evaluate({ ...acked, resolutionStopped: true }, blank(), P1, policy, at('2026-11-23T10:00:00Z'));
    expect(iso(waiting.fields.slaStoppedSince)).toBe('2026-11-23T10:00:00.000Z');
    expect(waiting.fields.resolveDueAt).toBeNull();
    expect(waiting.fields.nextReminderAt).toBeNull();

    const resumed = evaluate(acked, waiting.fields, P1, policy, at('2026-11-23T12:00:00Z'));
    expect(resumed.fields.slaStops.map((s) => [iso(s.from), iso(s.to)])).toEqual([['2026-11-23T10:00:00.000Z', '2026-11-23T12:00:00.000Z']]);
    expect(resumed.fields.slaStoppedSince).toBeNull();
    expect(iso(resumed.fields.resolveDueAt)).toBe('2026-11-23T15:00:00.000Z'); // 13:00 + the 2 h pause
  });

  it('recomputes exactly when the priority changes, keeping the steps already sent', () => {
    const created = '2026-11-23T09:00:00Z';
    const asP3 = evaluate(open(created), blank(), policy.targets.fault.P3, policy, at(created));
    const sentOne = { ...asP3.fields, slaResponseStep: 1 };
    const asP1 = evaluate(open(created), sentOne, P1, policy, at('2026-11-23T09:05:00Z'));
    expect(iso(asP1.fields.responseDueAt)).toBe('2026-11-23T09:15:00.000Z');
    expect(asP1.fields.slaResponseStep).toBe(1);
    expect(iso(asP1.fields.nextReminderAt)).toBe('2026-11-23T09:11:15.000Z'); // the 75 % step, not 50 % again
  });

  it('schedules nothing once closed', () => {
    const ev = evaluate({ ...open('2026-11-23T09:00:00Z'), respondedAt: at('2026-11-23T09:01:00Z'), finished: true }, blank(), P1, policy, at('2026-11-23T09:30:00Z'));
    expect(ev.fields.nextReminderAt).toBeNull();
  });
});

describe('due steps', () => {
  const input: ClockInput = { start: at('2026-11-23T09:00:00Z'), stops: [], stoppedSince: null };
  const steps = stepsOf(input, { targetMs: 15 * M, calendar: ALWAYS, fractions: [0.5, 0.75, 0.9], escalationDelays: [0, 30 * M] });

  it('sends one step at a time as the clock passes them', () => {
    expect(dueSteps(steps, 0, null, at('2026-11-23T09:07:29Z')).send).toEqual([]);
    const first = dueSteps(steps, 0, null, at('2026-11-23T09:07:30Z'));
    expect(first.send.map((s) => s.index)).toEqual([0]);
    expect(first.done).toBe(1);
    expect(dueSteps(steps, 1, null, at('2026-11-23T09:08:00Z')).send).toEqual([]);
  });

  it('collapses reminders missed during downtime into the latest, but sends the breach and escalations', () => {
    const late = dueSteps(steps, 0, null, at('2026-11-23T09:20:00Z'));
    expect(late.skipped.map((s) => s.index)).toEqual([0, 1, 2]);
    expect(late.send.map((s) => s.kind)).toEqual(['breach', 'escalate']);
    expect(late.done).toBe(5);
    const missedTwo = dueSteps(steps, 0, null, at('2026-11-23T09:12:00Z'));
    expect(missedTwo.send.map((s) => s.index)).toEqual([1]);
    expect(missedTwo.skipped.map((s) => s.index)).toEqual([0]);
  });

  it('delays reminders while snoozed, never the breach', () => {
    const snooze = at('2026-11-23T09:23:00Z');
    expect(nextStep(steps, 1, snooze)?.at.toISOString()).toBe('2026-11-23T09:15:00.000Z'); // breach first
    const atBreach = dueSteps(steps, 1, snooze, at('2026-11-23T09:15:00Z'));
    expect(atBreach.send.map((s) => s.kind)).toEqual(['breach', 'escalate']);
    expect(atBreach.skipped.map((s) => s.index)).toEqual([1, 2]);
    const snoozedReminder = dueSteps(steps, 1, at('2026-11-23T09:13:00Z'), at('2026-11-23T09:12:00Z'));
    expect(snoozedReminder.send).toEqual([]);
  });
});
