import type { EntityManager } from 'typeorm';
import { evaluate, slaFieldsOf, type Evaluation, type SlaFields } from './evaluate.js';
import { SLA_SETTING_KEYS, slaPolicyFrom, type SlaPolicy } from './policy.js';
import { FAULT_SUBJECT, REQUEST_SUBJECT, subjectOfId, type SlaRecord, type SlaSubject } from './subjects.js';
import { appendAudit } from '../audit/chain.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Fault, ServiceRequest } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import { hasRole } from '../people/roles.js';
import type { Actor } from '../people/actor.js';
import type { SettingsService } from '../settings/service.js';
import type { Store } from '../store/store.js';
import { SYSTEM } from '../people/actor.js';
import { appendEvent } from '../records/timeline.js';

export interface SlaServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
}

/** What a record service calls, inside its own transaction, after every change of priority or state. */
export interface SlaHook<R> {
  onChange(manager: EntityManager, record: R, now: Date): Promise<unknown>;
}

/** Loads one record of a subject inside a transaction (one fixed statement: every change reads it). */
export async function loadRecord<R extends SlaRecord>(manager: EntityManager, subject: SlaSubject<R>, id: number): Promise<R | null> {
  return PlainSql.of(manager).findById(manager, subject.entity, id);
}

/** The columns an SLA recompute reads afresh (slaFieldsOf). */
const SLA_FIELDS: readonly (keyof SlaFields)[] = [
  'responseDueAt',
  'resolveDueAt',
  'responseBreachedAt',
  'resolveBreachedAt',
  'slaStops',
  'slaStoppedSince',
  'slaSnoozedUntil',
  'slaResponseStep',
  'slaResolveStep',
  'nextReminderAt',
];

/**
 * Writes SLA fields without touching the record's optimistic version: the SLA is bookkeeping about
 * the record, and a sweep must never make a person's concurrent click fail as "changed meanwhile".
 * `expect` makes the write conditional; the result says whether the row matched. One fixed statement
 * per shape (src/store/plain-sql.ts): every change of a record writes its SLA.
 */
export async function writeSla<R extends SlaRecord>(
  manager: EntityManager,
  subject: SlaSubject<R>,
  id: number,
  fields: SlaFields,
  expect?: { version: number; responseStep: number; resolveStep: number; nextReminderAt: Date | null },
): Promise<boolean> {
  // PlainSql.update never bumps the version column (TypeORM's update would, unless told otherwise).
  const where: Partial<SlaRecord> = expect
    ? { id, version: expect.version, slaResponseStep: expect.responseStep, slaResolveStep: expect.resolveStep, nextReminderAt: expect.nextReminderAt }
    : { id };
  const values: Partial<SlaRecord> = { ...fields };
  return (await PlainSql.of(manager).update<SlaRecord>(manager, subject.entity, where, values)) === 1;
}

/**
 * SLA clocks (policy 3.4, 4.1, 4.3): recomputes deadlines on every change of a record, snoozes
 * reminders, and reads the policy from settings. The reminder sweep lives in sweep.ts.
 */
export class SlaService {
  readonly faults: SlaHook<Fault>;
  readonly requests: SlaHook<ServiceRequest>;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SettingsService,
    private readonly options: SlaServiceOptions,
  ) {
    this.faults = { onChange: (manager, fault, now) => this.onChange(manager, FAULT_SUBJECT, fault, now) };
    this.requests = { onChange: (manager, request, now) => this.onChange(manager, REQUEST_SUBJECT, request, now) };
  }

  get timeZone(): string {
    return this.options.timeZone;
  }

  /** The last policy built, by the SLA settings' values it was built from (see policy()). */
  private built: { values: string; policy: SlaPolicy } | undefined;

  /**
   * The policy in force: settings over the defaults of DESIGN.md. The settings are read every time
   * (another replica may have changed them); the policy is parsed again only when the SLA settings'
   * values differ from the last ones, so that every record under the same settings shares one policy
   * object and its calendar's cached days (calendarOf). Callers must not change the object.
   */
  async policy(): Promise<SlaPolicy> {
    const settings = await this.settings.all();
    const values = JSON.stringify(SLA_SETTING_KEYS.map((key) => settings.get(key) ?? null));
    if (this.built?.values !== values) this.built = { values, policy: slaPolicyFrom(settings, this.options.timeZone) };
    return this.built.policy;
  }

  /**
   * Recomputes the SLA of `record` after a change, in the caller's transaction: pauses, deadlines,
   * breaches and the next reminder. The SLA columns are read afresh (a sweep may have moved them
   * since the caller loaded the record) and the record in memory gets the new values for its card.
   */
  async onChange<R extends SlaRecord>(manager: EntityManager, subject: SlaSubject<R>, record: R, now: Date): Promise<Evaluation> {
    const policy = await this.policy();
    const stored = (await PlainSql.of(manager).findPartById<SlaRecord, keyof SlaFields>(manager, subject.entity, record.id, SLA_FIELDS)) ?? record;
    const evaluation = evaluate(subject.facts(record), slaFieldsOf(stored), policy.targets[subject.kind][record.priority], policy, now);
    await writeSla(manager, subject, record.id, evaluation.fields);
    Object.assign(record, evaluation.fields);
    await auditBreaches(manager, subject, record, evaluation, now);
    return evaluation;
  }

  /** Snooze: the next reminder of a record waits `minutes`; the breach and escalations do not. */
  async snooze(actor: Actor, recordId: string, minutes: number): Promise<{ id: string; until: Date; next: Date | null }> {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('sla.error.engineerOnly');
    const found = subjectOfId(recordId);
    if (!found) throw new NotFoundError('sla.error.notFound', { id: recordId.slice(0, 20) });
    return found.kind === 'fault' ? this.snoozeIn(actor, found.subject, found.id, minutes) : this.snoozeIn(actor, found.subject, found.id, minutes);
  }

  private async snoozeIn<R extends SlaRecord>(actor: Actor, subject: SlaSubject<R>, id: number, minutes: number) {
    const policy = await this.policy();
    return this.store.transaction(async (manager) => {
      const record = await loadRecord(manager, subject, id);
      const label = subject.formatId(id);
      if (!record) throw new NotFoundError('sla.error.notFound', { id: label });
      const now = this.clock.now();
      const until = new Date(now.getTime() + minutes * 60_000);
      const current = slaFieldsOf(record);
      const snoozedUntil = current.slaSnoozedUntil && current.slaSnoozedUntil > until ? current.slaSnoozedUntil : until;
      const evaluation = evaluate(subject.facts(record), { ...current, slaSnoozedUntil: snoozedUntil }, policy.targets[subject.kind][record.priority], policy, now);
      if (!evaluation.targets.response.open && !evaluation.targets.resolve.open) throw new ConflictError('sla.error.nothingToSnooze', { id: label });
      const written = await writeSla(manager, subject, id, evaluation.fields, {
        version: record.version,
        responseStep: current.slaResponseStep,
        resolveStep: current.slaResolveStep,
        nextReminderAt: current.nextReminderAt,
      });
      if (!written) throw new ConflictError('sla.error.changedMeanwhile', { id: label });
      await appendAudit(manager, now, {
        actor,
        action: 'sla.snooze',
        recordType: subject.kind,
        recordId: label,
        before: { snoozedUntil: current.slaSnoozedUntil?.toISOString() ?? null },
        after: { snoozedUntil: snoozedUntil.toISOString() },
      });
      return { id: label, until: snoozedUntil, next: evaluation.fields.nextReminderAt };
    });
  }
}

/**
 * Records each newly found breach in the audit log and on the record's timeline (`sla_breach_response`
 * or `sla_breach_resolve`, by opsdesk); the record itself also carries it in `*_breached_at` (README, SLA).
 */
export async function auditBreaches<R extends SlaRecord>(manager: EntityManager, subject: SlaSubject<R>, record: R, evaluation: Evaluation, now: Date): Promise<void> {
  for (const target of evaluation.newlyBreached) {
    const dueAt = target === 'response' ? evaluation.fields.responseBreachedAt : evaluation.fields.resolveBreachedAt;
    await appendAudit(manager, now, {
      actor: SYSTEM,
      action: `sla.breach.${target}`,
      recordType: subject.kind,
      recordId: subject.formatId(record.id),
      before: null,
      after: { target, dueAt: dueAt?.toISOString() ?? null, priority: record.priority },
    });
    await appendEvent(manager, { recordKind: subject.kind, recordId: record.id, actor: SYSTEM, kind: `sla_breach_${target}`, fromState: null, toState: null, note: null, at: now });
  }
}
