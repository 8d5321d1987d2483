// What each export holds: its columns, the entity it reads in id order, and how one entity becomes
// one row. Times are ISO 8601 in TZ_NAME; durations are whole minutes (numbers, so they stay numbers).
import { DateTime } from 'luxon';
import type { CsvCell } from './csv.js';
import { formatChangeId } from '../changes/rules.js';
import { formatCiId } from '../cis/rules.js';
import { formatFaultId } from '../faults/rules.js';
import { formatRequestId } from '../requests/rules.js';
import { AuditEntry, Change, ConfigurationItem, Fault, ServiceRequest } from '../store/entities/index.js';

export const EXPORT_KINDS = ['faults', 'requests', 'changes', 'cis', 'audit'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Names looked up for a batch of rows: people, CIs linked to records, CI names and aliases. */
export interface Lookups {
  person(id: number | null): string | null;
  /** `fault`, `request` or `change` record -> its configuration item names joined by `; `. */
  cis(kind: 'fault' | 'request' | 'change', id: number): string | null;
  ciName(id: number): string;
  aliases(ciId: number): string[];
  dependsOn(ciId: number): number[];
}

export interface ExportTable<E> {
  entity: new () => E;
  header: readonly string[];
  /** People ids in a row, for the batch lookup. */
  people(row: E): (number | null)[];
  row(row: E, l: Lookups, time: (d: Date | null) => string | null): CsvCell[];
}

/** `2026-11-23T10:00:00+01:00` in `zone`. */
export function isoIn(zone: string): (d: Date | null) => string | null {
  return (d) => (d ? DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true }) : null);
}

/** Whole minutes from `a` to `b`, or null when either is missing. */
export function minutes(a: Date | null, b: Date | null): number | null {
  return a && b ? Math.round((b.getTime() - a.getTime()) / 60_000) : null;
}

const faults: ExportTable<Fault> = {
  entity: Fault,
  header: ['id', 'title', 'state', 'priority', 'impact', 'urgency', 'category', 'source', 'reporter', 'assignee', 'configuration_items', 'affected_system', 'created_at', 'acknowledged_at', 'resolved_at', 'closed_at', 'minutes_to_acknowledge', 'minutes_to_resolve', 'description', 'root_cause', 'resolution_steps'],
  people: (f) => [f.reporterId, f.assigneeId],
  row: (f, l, t) => [formatFaultId(f.id), f.title, f.state, f.priority, f.impact, f.urgency, f.category, f.source, l.person(f.reporterId), l.person(f.assigneeId), l.cis('fault', f.id), f.affectedSystem, t(f.createdAt), t(f.acknowledgedAt), t(f.resolvedAt), t(f.closedAt), minutes(f.createdAt, f.acknowledgedAt), minutes(f.createdAt, f.resolvedAt), f.description, f.rootCause, f.resolutionSteps],
};

const requests: ExportTable<ServiceRequest> = {
  entity: ServiceRequest,
  header: ['id', 'title', 'request_type', 'state', 'priority', 'importance', 'urgency', 'requester', 'beneficiary', 'assignee', 'configuration_items', 'created_at', 'assigned_at', 'fulfilled_at', 'closed_at', 'minutes_to_assign', 'minutes_to_fulfil', 'details', 'fulfilment'],
  people: (r) => [r.requesterId, r.beneficiaryId, r.assigneeId],
  row: (r, l, t) => [formatRequestId(r.id), r.title, r.requestType, r.state, r.priority, r.importance, r.urgency, l.person(r.requesterId), l.person(r.beneficiaryId), l.person(r.assigneeId), l.cis('request', r.id), t(r.createdAt), t(r.assignedAt), t(r.fulfilledAt), t(r.closedAt), minutes(r.createdAt, r.assignedAt), minutes(r.createdAt, r.fulfilledAt), r.details, r.fulfilment],
};

const changes: ExportTable<Change> = {
  entity: Change,
  header: ['id', 'title', 'type', 'risk', 'state', 'requester', 'implementer', 'configuration_items', 'window_start', 'window_end', 'started_at', 'ended_at', 'minutes_implementing', 'created_at', 'content', 'reason', 'expected_impact', 'test_plan', 'rollback_plan', 'outcome_note'],
  people: (c) => [c.requesterId, c.implementerId],
  row: (c, l, t) => [formatChangeId(c.id), c.title, c.type, c.risk, c.state, l.person(c.requesterId), l.person(c.implementerId), l.cis('change', c.id) ?? c.configItems, t(c.windowStart), t(c.windowEnd), t(c.startedAt), t(c.endedAt), minutes(c.startedAt, c.endedAt), t(c.createdAt), c.content, c.reason, c.expectedImpact, c.testPlan, c.rollbackPlan, c.outcomeNote],
};

const cis: ExportTable<ConfigurationItem> = {
  entity: ConfigurationItem,
  header: ['id', 'name', 'type', 'environment', 'owner', 'criticality', 'runbook', 'depends_on', 'aliases', 'notes', 'created_at', 'updated_at'],
  people: (c) => [c.ownerId],
  row: (c, l, t) => [formatCiId(c.id), c.name, c.type, c.environment, l.person(c.ownerId), c.criticality, c.runbookUrl, l.dependsOn(c.id).map((d) => l.ciName(d)).join('; ') || null, l.aliases(c.id).join('; ') || null, c.notes, t(c.createdAt), t(c.updatedAt)],
};

const audit: ExportTable<AuditEntry> = {
  entity: AuditEntry,
  header: ['id', 'time', 'actor', 'action', 'record_type', 'record_id', 'before', 'after', 'hash', 'prev_hash'],
  people: () => [],
  row: (a, _l, t) => [a.id, t(a.createdAt), a.actorLabel, a.action, a.recordType, a.recordId, a.before, a.after, a.hash, a.prevHash],
};

export const EXPORT_TABLES: Record<ExportKind, ExportTable<Fault> | ExportTable<ServiceRequest> | ExportTable<Change> | ExportTable<ConfigurationItem> | ExportTable<AuditEntry>> = {
  faults,
  requests,
  changes,
  cis,
  audit,
};
