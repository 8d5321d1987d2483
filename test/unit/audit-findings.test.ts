import { describe, expect, it } from 'vitest';
import { auditFindings, FINDING_KINDS } from '../../src/reports/findings.js';
import type { AuditLine, ChangeRecord, ServiceRecord } from '../../src/reports/inputs.js';
import { ANN, APPROVER, MANAGER, PERIOD, REPORTER, at, change, ev, fault } from '../helpers/kpi-dataset.js';

const ok = (when: string, asManager = false) => [{ approverId: asManager ? MANAGER : APPROVER, decision: 'approved' as const, asManager, at: at(when) }];
const implemented = (start: string, end: string, outcome = 'completed') => [ev(start, ANN, 'start', 'scheduled', 'in_progress'), ev(end, ANN, outcome, 'in_progress', outcome)];
const resolvedFault = (id: number, extra: Partial<ServiceRecord> = {}) =>
  fault(id, 'P3', '2026-12-22T09:00', [ev('2026-12-22T09:10', ANN, 'acknowledge', 'reported', 'acknowledged'), ev('2026-12-22T10:00', ANN, 'resolve', 'acknowledged', 'resolved')], extra);
const request = (id: number, closer: number | null): ServiceRecord => ({
  ...fault(id, 'P3', '2026-12-22T09:00', [ev('2026-12-22T09:05', ANN, 'take', 'submitted', 'assigned'), ev('2026-12-22T10:00', ANN, 'fulfil', 'assigned', 'fulfilled'), ev('2026-12-29T10:00', closer, 'close', 'fulfilled', 'closed')]),
  kind: 'request',
  ref: `REQ-${id}`,
  rootCause: null,
});

// Exactly one instance of each violation...
const violating: { changes: ChangeRecord[]; records: ServiceRecord[]; roles: AuditLine[] } = {
  changes: [
    change(10, 'normal', ['2026-12-22T20:00', '2026-12-22T22:00'], [], implemented('2026-12-22T20:10', '2026-12-22T21:00')),
    change(11, 'normal', ['2026-12-23T20:00', '2026-12-23T22:00'], ok('2026-12-21T10:00'), implemented('2026-12-23T22:30', '2026-12-23T23:00')),
    change(12, 'emergency', ['2026-12-24T20:00', '2026-12-24T22:00'], ok('2026-12-24T09:00', true), implemented('2026-12-24T10:00', '2026-12-24T11:00', 'rolled_back')),
  ],
  records: [
    resolvedFault(20, { rootCause: '  ' }),
    resolvedFault(21, { resolveBreachedAt: at('2026-12-22T09:50') }),
    fault(22, 'P3', '2026-12-22T09:00', [ev('2026-12-22T09:10', ANN, 'acknowledge', 'reported', 'acknowledged')], {
      resolveDueAt: at('2026-12-30T09:00'),
      resolveBreachedAt: at('2026-12-30T09:00'),
      rootCause: null,
    }),
    request(23, null),
  ],
  roles: [{ id: 7, at: at('2026-12-22T12:00'), actorLabel: 'admin', action: 'role.grant', recordType: 'person', recordId: '4', before: null, after: '{"role":"approver"}' }],
};

// ...and records that break nothing.
const clean: { changes: ChangeRecord[]; records: ServiceRecord[]; roles: AuditLine[] } = {
  changes: [
    change(13, 'emergency', ['2026-12-24T20:00', '2026-12-24T22:00'], ok('2026-12-24T09:00', true), implemented('2026-12-24T10:00', '2026-12-24T11:00'), { reviewedAt: at('2026-12-24T12:00') }),
    change(14, 'normal', ['2026-12-22T20:00', '2026-12-22T22:00'], ok('2026-12-21T10:00'), implemented('2026-12-22T20:00', '2026-12-22T21:00')),
    change(15, 'standard', ['2026-12-22T20:00', '2026-12-22T22:00'], [], implemented('2026-12-22T20:00', '2026-12-22T21:00')),
    change(16, 'normal', ['2026-12-23T20:00', '2026-12-23T22:00'], [{ approverId: APPROVER, decision: 'rejected', asManager: false, at: at('2026-12-21T11:00') }], [ev('2026-12-21T11:00', APPROVER, 'reject', 'submitted', 'rejected')]),
  ],
  records: [
    resolvedFault(24),
    request(25, REPORTER),
    fault(26, 'P3', '2026-12-30T09:00', [], { resolveDueAt: at('2027-01-08T09:00') }),
    fault(27, 'P1', '2026-12-26T03:00', [ev('2026-12-26T03:20', null, 'resolve', 'reported', 'resolved')], { rootCause: 'alert cleared' }),
  ],
  roles: [{ id: 8, at: at('2026-12-22T12:00'), actorLabel: 'admin', action: 'setting.set', recordType: 'setting', recordId: 'poll_days', before: null, after: '"3"' }],
};

describe('audit findings (policy 5.1)', () => {
  const findings = auditFindings(
    { changes: [...violating.changes, ...clean.changes], records: [...violating.records, ...clean.records], roleChanges: [...violating.roles, ...clean.roles] },
    PERIOD,
    PERIOD.to,
  );

  it('finds each seeded violation once, and nothing else', () => {
    expect(findings.map((f) => [f.kind, f.ref])).toEqual([
      ['change_unapproved', 'CHG-10'],
      ['change_outside_window', 'CHG-11'],
      ['emergency_unreviewed', 'CHG-12'],
      ['no_root_cause', 'INC-20'],
      ['sla_breach', 'INC-21'],
      ['overdue', 'INC-22'],
      ['request_unconfirmed', 'REQ-23'],
      ['role_change', '4'],
    ]);
    expect(new Set(findings.map((f) => f.kind))).toEqual(new Set(FINDING_KINDS));
  });

  it('keeps the reason details', () => {
    expect(findings.find((f) => f.kind === 'role_change')?.details).toEqual({ action: 'grant', by: 'admin', role: 'approver' });
    expect(findings.find((f) => f.kind === 'sla_breach')?.details).toEqual({ target: 'resolve', priority: 'P3' });
    expect(findings.find((f) => f.kind === 'emergency_unreviewed')?.details).toEqual({ outcome: 'rolled_back' });
  });

  it('a refused start is a finding of its kind; findings outside the period are not listed', () => {
    const refused = change(30, 'normal', ['2026-12-29T20:00', '2026-12-29T22:00'], ok('2026-12-21T10:00'), [ev('2026-12-29T10:00', ANN, 'compliance_violation', null, null, 'before_window')]);
    const later = change(31, 'normal', ['2027-01-05T20:00', '2027-01-05T22:00'], [], implemented('2027-01-05T20:00', '2027-01-05T21:00'));
    const found = auditFindings({ changes: [refused, later], records: [], roleChanges: [] }, PERIOD, PERIOD.to);
    expect(found.map((f) => [f.kind, f.ref, f.details.how])).toEqual([['change_outside_window', 'CHG-30', 'refused']]);
  });
});
