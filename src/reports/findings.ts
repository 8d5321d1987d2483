// The compliance findings of the audit report (policy 5.1), each with its record and a one-line
// reason. Pure: plain records in (inputs.ts), findings out, in a fixed order of kinds, then by time.
import { changeFacts, recordFacts } from './facts.js';
import { inPeriod, type AuditLine, type ChangeRecord, type Period, type ServiceRecord } from './inputs.js';

export const FINDING_KINDS = [
  'change_unapproved',
  'change_outside_window',
  'emergency_unreviewed',
  'no_root_cause',
  'sla_breach',
  'overdue',
  'request_unconfirmed',
  'role_change',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  /** `CHG-3`, `INC-4`, `REQ-1`, or the person for a role change. */
  ref: string;
  at: Date;
  /** What the one-line reason is built from (message parameters, all plain text). */
  details: Record<string, string>;
}

export interface FindingsInput {
  records: readonly ServiceRecord[];
  changes: readonly ChangeRecord[];
  /** Audit log entries of the period about roles (`role.grant`, `role.revoke`). */
  roleChanges: readonly AuditLine[];
}

const UNAPPROVED_REFUSALS = ['not_approved', 'not_scheduled'];
const WINDOW_REFUSALS = ['before_window', 'after_window'];

function changeFindings(change: ChangeRecord, period: Period): Finding[] {
  const facts = changeFacts(change);
  const found: Finding[] = [];
  const finding = (kind: FindingKind, at: Date, details: Record<string, string>) => found.push({ kind, ref: change.ref, at, details });
  if (facts.start && inPeriod(facts.start.at, period)) {
    if (!facts.approvedBeforeStart) finding('change_unapproved', facts.start.at, { how: 'started' });
    if (!facts.insideWindow) finding('change_outside_window', facts.start.at, { how: 'started', start: change.windowStart.toISOString(), end: change.windowEnd.toISOString() });
  }
  for (const refused of facts.refusedStarts) {
    if (!inPeriod(refused.at, period)) continue;
    if (UNAPPROVED_REFUSALS.includes(refused.reason ?? '')) finding('change_unapproved', refused.at, { how: 'refused' });
    if (WINDOW_REFUSALS.includes(refused.reason ?? '')) finding('change_outside_window', refused.at, { how: 'refused', start: change.windowStart.toISOString(), end: change.windowEnd.toISOString() });
  }
  if (change.type === 'emergency' && facts.end && facts.end.at.getTime() < period.to.getTime() && change.reviewedAt === null) {
    finding('emergency_unreviewed', facts.end.at, { outcome: facts.end.outcome });
  }
  return found;
}

function recordFindings(record: ServiceRecord, period: Period, asOf: Date): Finding[] {
  const facts = recordFacts(record);
  const found: Finding[] = [];
  const finding = (kind: FindingKind, at: Date, details: Record<string, string> = {}) => found.push({ kind, ref: record.ref, at, details });
  const open = facts.final === null && record.state !== 'closed';
  if (record.kind === 'fault' && facts.final && inPeriod(facts.final.at, period) && (record.rootCause ?? '').trim() === '') finding('no_root_cause', facts.final.at);
  // An open record past its resolution deadline is listed once, as overdue; otherwise a resolution
  // breach recorded by the SLA machinery is a finding. A response breach is one whether the record is
  // open or finished: the SLA sweep records it (responseBreachedAt) while the record is still open, and
  // a record past its response deadline that nobody acknowledged is one even before the sweep ran.
  const overdue = open && record.resolveDueAt !== null && record.resolveDueAt.getTime() < asOf.getTime();
  if (overdue && record.resolveDueAt) finding('overdue', record.resolveDueAt, { due: record.resolveDueAt.toISOString() });
  const responseDue = record.responseDueAt ?? null;
  const responseBreach = record.responseBreachedAt ?? (open && facts.response === null && responseDue !== null && responseDue.getTime() < asOf.getTime() ? responseDue : null);
  if (responseBreach && inPeriod(responseBreach, period)) finding('sla_breach', responseBreach, { target: 'response', priority: record.priority });
  if (!overdue && record.resolveBreachedAt && inPeriod(record.resolveBreachedAt, period)) finding('sla_breach', record.resolveBreachedAt, { target: 'resolve', priority: record.priority });
  if (record.kind === 'request') {
    const closing = record.events.find((e) => e.toState === 'closed' && inPeriod(e.at, period));
    if (closing && closing.actorId !== record.requesterId) finding('request_unconfirmed', closing.at, { by: closing.actorId === null ? 'system' : 'other' });
  }
  return found;
}

/**
 * Every compliance finding of `period`: changes started (or refused a start) without approval or
 * outside their window, ended emergency changes without a review, faults resolved without a root
 * cause, SLA breaches (of open records too: a response deadline missed), records open past their resolution deadline at `asOf`
 * (the period's end, or now for an open period), requests closed by anyone but the requester, and role
 * grants and removals. Sorted by kind (FINDING_KINDS order), then time.
 */
export function auditFindings(input: FindingsInput, period: Period, asOf: Date): Finding[] {
  const found: Finding[] = [
    ...input.changes.flatMap((c) => changeFindings(c, period)),
    ...input.records.flatMap((r) => recordFindings(r, period, asOf)),
    ...input.roleChanges
      .filter((line) => inPeriod(line.at, period) && (line.action === 'role.grant' || line.action === 'role.revoke'))
      .map((line) => ({ kind: 'role_change' as const, ref: line.recordId, at: line.at, details: { action: line.action === 'role.grant' ? 'grant' : 'revoke', by: line.actorLabel, role: roleOf(line.after ?? line.before), ...(line.subjectName === undefined ? {} : { person: line.subjectName }) } })),
  ];
  return found.sort((a, b) => FINDING_KINDS.indexOf(a.kind) - FINDING_KINDS.indexOf(b.kind) || a.at.getTime() - b.at.getTime());
}

function roleOf(after: string | null): string {
  if (after === null) return '';
  try {
    const parsed: unknown = JSON.parse(after);
    if (parsed && typeof parsed === 'object' && 'role' in parsed && typeof parsed.role === 'string') return parsed.role;
  } catch {
    // A malformed entry still shows as a role change, without the role.
  }
  return '';
}
