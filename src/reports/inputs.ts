// The plain inputs of the KPIs, the audit findings and the reports: arrays of plain objects that the
// loaders (load-*.ts) read from the database. Nothing here knows about TypeORM, so the formulas stay
// pure and the loaders are the only code that changes when the storage of the timelines changes.
import type { ChangeRisk, ChangeType } from '../changes/rules.js';
import type { Priority } from '../faults/rules.js';

/** One line of a record's timeline, as the record kernel's `record_events` keeps it. */
export interface TimelineEvent {
  at: Date;
  /** Who acted; null for opsdesk itself (SYSTEM: jobs, webhooks). */
  actorId: number | null;
  /** The move or event (`acknowledge`, `resolve`, `reassign`, `compliance_violation` ...). */
  kind: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
}

/**
 * A line of a fault's or service request's timeline as the KPIs and findings read it: everything but
 * the note, which no rule for these records reads (so the loader leaves it out, load-records.ts).
 */
export type TimelineStep = Omit<TimelineEvent, 'note'>;

/** A fault or a service request with its SLA outcome and its timeline (oldest event first). */
export interface ServiceRecord {
  kind: 'fault' | 'request';
  id: number;
  /** `INC-4`, `REQ-7`. */
  ref: string;
  title: string;
  priority: Priority;
  /** Fault category or request type. */
  category: string;
  state: string;
  createdAt: Date;
  /** The reporter (fault) or the person the request is for, who confirms its closing. */
  requesterId: number;
  /** Fault root cause; null for requests and unresolved faults. */
  rootCause: string | null;
  resolveDueAt: Date | null;
  /** The response deadline (SLA); absent in hand-built datasets that do not need it. */
  responseDueAt?: Date | null;
  responseBreachedAt: Date | null;
  resolveBreachedAt: Date | null;
  /** Configuration items or the affected system named on the record. */
  configItems: string[];
  events: TimelineStep[];
}

export interface ChangeApprovalInput {
  approverId: number;
  decision: 'approved' | 'rejected';
  asManager: boolean;
  at: Date;
}

/** A change request with its approvals and timeline (oldest event first). */
export interface ChangeRecord {
  id: number;
  ref: string;
  title: string;
  type: ChangeType;
  risk: ChangeRisk;
  state: string;
  createdAt: Date;
  windowStart: Date;
  windowEnd: Date;
  approvalsRequired: number;
  managerRequired: boolean;
  approvals: ChangeApprovalInput[];
  reviewedAt: Date | null;
  events: TimelineEvent[];
}

/** One answered satisfaction survey. */
export interface SurveyAnswer {
  recordRef: string;
  /** The engineer credited with the resolution (kept on the survey when it was sent). */
  resolverId: number | null;
  rating: number;
  comment: string | null;
  ratedAt: Date;
}

/** One page of a person about a record not yet acknowledged: an SLA reminder, breach or escalation DM. */
export interface PageInput {
  personId: number;
  recordRef: string;
  at: Date;
  /** When the record was acknowledged (by anyone); null when it never was. */
  acknowledgedAt: Date | null;
}

/** One entry of the audit log, as the findings need it. */
export interface AuditLine {
  id: number;
  at: Date;
  actorLabel: string;
  action: string;
  recordType: string;
  recordId: string;
  /** For an entry about a person (role changes): their display name, when the person still exists. */
  subjectName?: string;
  before: string | null;
  after: string | null;
}

/** A half-open interval [from, to) of instants. */
export interface Period {
  from: Date;
  to: Date;
}

export function inPeriod(at: Date, period: Period): boolean {
  const t = at.getTime();
  return t >= period.from.getTime() && t < period.to.getTime();
}
