// A hand-built dataset for the KPI and report tests: every time is UTC, the business calendar is
// Mon-Fri 09:00-18:00 UTC with Friday 2026-12-25 a holiday. The period is the two weeks from Monday
// 2026-12-21 to Monday 2027-01-04. People: ann 1, bob 2, cy 3 (engineers), 4 an approver, 5 a
// manager, 9 the reporter.
import { businessCalendar, parseHolidays, parseWeekHours, type Calendar } from '../../src/sla/calendar.js';
import type { ChangeRecord, PageInput, Period, ServiceRecord, SurveyAnswer, TimelineEvent } from '../../src/reports/inputs.js';

export const ANN = 1;
export const BOB = 2;
export const CY = 3;
export const APPROVER = 4;
export const MANAGER = 5;
export const REPORTER = 9;

export const at = (text: string): Date => new Date(`${text}:00Z`);

export const PERIOD: Period = { from: at('2026-12-21T00:00'), to: at('2027-01-04T00:00') };

const hours = parseWeekHours('Mon-Fri 09:00-18:00');
if (!hours) throw new Error('hours');
export const BUSINESS: Calendar = businessCalendar('UTC', hours, parseHolidays('2026-12-25') ?? []);

export function ev(when: string, actorId: number | null, kind: string, fromState: string | null, toState: string | null, note: string | null = null): TimelineEvent {
  return { at: at(when), actorId, kind, fromState, toState, note };
}

export function fault(id: number, priority: ServiceRecord['priority'], created: string, events: TimelineEvent[], extra: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    kind: 'fault',
    id,
    ref: `INC-${id}`,
    title: `fault ${id}`,
    priority,
    category: 'software',
    state: events[events.length - 1]?.toState ?? 'reported',
    createdAt: at(created),
    requesterId: REPORTER,
    rootCause: 'a cause',
    resolveDueAt: null,
    responseBreachedAt: null,
    resolveBreachedAt: null,
    configItems: [],
    events,
    ...extra,
  };
}

export const RECORDS: ServiceRecord[] = [
  // INC-1, across a night, a holiday and a weekend: created Thu 24 Dec 17:30, acknowledged by ann
  // Mon 28 Dec 09:45, resolved by ann 11:00.
  fault(1, 'P3', '2026-12-24T17:30', [
    ev('2026-12-24T17:30', REPORTER, 'report', null, 'reported'),
    ev('2026-12-28T09:45', ANN, 'acknowledge', 'reported', 'acknowledged'),
    ev('2026-12-28T11:00', ANN, 'resolve', 'acknowledged', 'resolved'),
  ]),
  // INC-2, waits on the user 11:00-14:00: created Tue 22 Dec 10:00, bob acknowledges 10:20, resolves 15:00.
  fault(2, 'P3', '2026-12-22T10:00', [
    ev('2026-12-22T10:20', BOB, 'acknowledge', 'reported', 'acknowledged'),
    ev('2026-12-22T11:00', BOB, 'wait', 'acknowledged', 'waiting_on_user'),
    ev('2026-12-22T14:00', REPORTER, 'resume', 'waiting_on_user', 'in_progress'),
    ev('2026-12-22T15:00', BOB, 'resolve', 'in_progress', 'resolved'),
  ]),
  // INC-3, reassigned: ann acknowledges Wed 23 Dec 08:10 (created 08:00, before business hours) and
  // hands it to cy, who starts 09:00 and resolves 12:30, half an hour after the 4 h P1 deadline.
  fault(
    3,
    'P1',
    '2026-12-23T08:00',
    [
      ev('2026-12-23T08:10', ANN, 'acknowledge', 'reported', 'acknowledged'),
      ev('2026-12-23T08:15', ANN, 'reassign', 'acknowledged', 'acknowledged', 'to cy'),
      ev('2026-12-23T09:00', CY, 'start', 'acknowledged', 'in_progress'),
      ev('2026-12-23T12:30', CY, 'resolve', 'in_progress', 'resolved'),
    ],
    { resolveBreachedAt: at('2026-12-23T12:00') },
  ),
  // INC-4, reopened: created Mon 21 Dec 09:00, bob acknowledges 09:30, resolves 10:00; the reporter
  // reopens it Tue 22 Dec 09:00 and ann resolves it for good at 10:00.
  fault(4, 'P4', '2026-12-21T09:00', [
    ev('2026-12-21T09:30', BOB, 'acknowledge', 'reported', 'acknowledged'),
    ev('2026-12-21T10:00', BOB, 'resolve', 'acknowledged', 'resolved'),
    ev('2026-12-22T09:00', REPORTER, 'reopen', 'resolved', 'in_progress'),
    ev('2026-12-22T10:00', ANN, 'resolve', 'in_progress', 'resolved'),
    ev('2026-12-29T10:00', null, 'close', 'resolved', 'closed'),
  ]),
  // INC-5, raised and cleared by monitoring at night: excluded from every figure.
  fault(5, 'P1', '2026-12-26T03:00', [ev('2026-12-26T03:20', null, 'resolve', 'reported', 'resolved')], { rootCause: 'Alert cleared' }),
  // REQ-1: created Mon 28 Dec 09:00, taken by cy 09:05, fulfilled 10:05.
  {
    ...fault(1, 'P3', '2026-12-28T09:00', [
      ev('2026-12-28T09:05', CY, 'take', 'submitted', 'assigned'),
      ev('2026-12-28T10:05', CY, 'fulfil', 'assigned', 'fulfilled'),
    ]),
    kind: 'request',
    ref: 'REQ-1',
    rootCause: null,
    category: 'access',
  },
];

/**
 * INC-6, reopened by an alert, kept out of RECORDS (whose figures the tests work by hand): monitoring
 * raised it Mon 21 Dec 02:00 and resolved it when the alert cleared at 02:10; the alert fired again
 * Tue 22 Dec 13:00 and put it back to Reported (its response clock starts again then, as
 * faults.response_started_at); cy acknowledged it 13:25 and resolved it 14:00.
 */
export const REOPENED_BY_ALERT: ServiceRecord = fault(
  6,
  'P2',
  '2026-12-21T02:00',
  [
    ev('2026-12-21T02:00', null, 'report', null, 'reported'),
    ev('2026-12-21T02:10', null, 'resolve', 'reported', 'resolved'),
    ev('2026-12-22T13:00', null, 'reopen', 'resolved', 'reported'),
    ev('2026-12-22T13:25', CY, 'acknowledge', 'reported', 'acknowledged'),
    ev('2026-12-22T14:00', CY, 'resolve', 'acknowledged', 'resolved'),
  ],
  { rootCause: 'log volume full' },
);

export function change(id: number, type: ChangeRecord['type'], window: [string, string], approvals: ChangeRecord['approvals'], events: TimelineEvent[], extra: Partial<ChangeRecord> = {}): ChangeRecord {
  return {
    id,
    ref: `CHG-${id}`,
    title: `change ${id}`,
    type,
    risk: 'low',
    state: events[events.length - 1]?.toState ?? 'submitted',
    createdAt: at('2026-12-21T08:00'),
    windowStart: at(window[0]),
    windowEnd: at(window[1]),
    approvalsRequired: type === 'standard' ? 0 : 1,
    managerRequired: type === 'emergency',
    approvals,
    reviewedAt: null,
    events,
    ...extra,
  };
}

const approved = (when: string, asManager = false) => [{ approverId: asManager ? MANAGER : APPROVER, decision: 'approved' as const, asManager, at: at(when) }];

export const CHANGES: ChangeRecord[] = [
  // CHG-1: approved, started by ann inside its window, completed.
  change(1, 'normal', ['2026-12-22T20:00', '2026-12-22T22:00'], approved('2026-12-21T10:00'), [
    ev('2026-12-22T20:05', ANN, 'start', 'scheduled', 'in_progress'),
    ev('2026-12-22T21:00', ANN, 'complete', 'in_progress', 'completed'),
  ]),
  // CHG-2: rejected, never implemented.
  change(2, 'normal', ['2026-12-23T20:00', '2026-12-23T22:00'], [{ approverId: APPROVER, decision: 'rejected', asManager: false, at: at('2026-12-21T11:00') }], [
    ev('2026-12-21T11:00', APPROVER, 'reject', 'submitted', 'rejected'),
  ]),
  // CHG-3: approved, started by bob in its window, rolled back.
  change(3, 'normal', ['2026-12-23T20:00', '2026-12-23T22:00'], approved('2026-12-21T10:00'), [
    ev('2026-12-23T20:00', BOB, 'start', 'scheduled', 'in_progress'),
    ev('2026-12-23T21:00', BOB, 'roll_back', 'in_progress', 'rolled_back'),
  ]),
  // CHG-4: approved, but bob started it an hour before its window; completed.
  change(4, 'normal', ['2026-12-24T20:00', '2026-12-24T22:00'], approved('2026-12-21T10:00'), [
    ev('2026-12-24T19:00', BOB, 'start', 'scheduled', 'in_progress'),
    ev('2026-12-24T19:30', BOB, 'complete', 'in_progress', 'completed'),
  ]),
  // CHG-5: an emergency approved by a manager, started by cy outside its window (allowed), completed.
  change(5, 'emergency', ['2026-12-28T20:00', '2026-12-28T22:00'], approved('2026-12-28T13:00', true), [
    ev('2026-12-28T14:00', CY, 'start', 'scheduled', 'in_progress'),
    ev('2026-12-28T15:00', CY, 'complete', 'in_progress', 'completed'),
  ]),
  // CHG-6: not approved; ann's start was refused and recorded as a compliance finding.
  change(6, 'normal', ['2026-12-29T20:00', '2026-12-29T22:00'], [], [ev('2026-12-29T10:00', ANN, 'compliance_violation', null, null, 'not_approved')]),
];

export const SURVEYS: SurveyAnswer[] = [
  { recordRef: 'INC-1', resolverId: ANN, rating: 5, comment: null, ratedAt: at('2026-12-28T12:00') },
  { recordRef: 'INC-2', resolverId: BOB, rating: 3, comment: 'slow', ratedAt: at('2026-12-22T16:00') },
  { recordRef: 'INC-3', resolverId: CY, rating: 4, comment: null, ratedAt: at('2026-12-23T13:00') },
  { recordRef: 'INC-4', resolverId: ANN, rating: 2, comment: 'came back', ratedAt: at('2026-12-22T11:00') },
  { recordRef: 'REQ-1', resolverId: CY, rating: 5, comment: null, ratedAt: at('2026-12-28T11:00') },
  // Outside the period.
  { recordRef: 'INC-1', resolverId: ANN, rating: 1, comment: null, ratedAt: at('2027-01-10T11:00') },
];

export const PAGES: PageInput[] = [
  { personId: CY, recordRef: 'INC-3', at: at('2026-12-23T08:02'), acknowledgedAt: at('2026-12-23T08:10') },
  { personId: BOB, recordRef: 'INC-5', at: at('2026-12-26T03:05'), acknowledgedAt: null },
];
