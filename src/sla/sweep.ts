import type { EntityManager } from 'typeorm';
import { dueSteps, effectiveAt, type Step } from './clock.js';
import { SLA_TARGETS, evaluate, nextReminderAt, slaFieldsOf, type Evaluation, type SlaTarget } from './evaluate.js';
import { noticeMessage, type EarlierNotice } from './notices.js';
import type { SlaPolicy } from './policy.js';
import { auditBreaches, loadRecord, writeSla, type SlaService } from './service.js';
import { FAULT_SUBJECT, REQUEST_SUBJECT, type SlaRecord, type SlaSubject } from './subjects.js';
import { resolveLocale, translator, type Locale } from '../chat/i18n/catalog.js';
import type { ChatTarget } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { EscalationChain, OnCallService } from '../oncall/service.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import { peopleViews } from '../people/views.js';
import type { SettingsService } from '../settings/service.js';
import { SlaNotice } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export interface SlaSweepOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
  /** Records read per query (default 200). */
  batchSize?: number;
}

export interface SweepResult {
  /** Records whose due steps this run carried out. */
  records: number;
  /** Messages queued (one per recipient and step). */
  sent: number;
  /** Of those, the ones that fell due while nobody could send them. */
  late: number;
}

/** A step is "late" when it went out more than this after it fell due: the sweep runs every minute. */
export const LATE_AFTER_MS = 2 * 60_000;

const EMPTY: SweepResult = { records: 0, sent: 0, late: 0 };
/** Records handled in one transaction. */
const GROUP = 25;

/**
 * The reminder sweep. It reads only records whose next reminder is due, through the index on
 * `next_reminder_at`, and for each one, in one transaction: works out the due steps from the stored
 * step counters, advances the counters with a conditional update (which only one process can win),
 * and queues the messages in the outbox. A reminder is therefore sent exactly once, also across
 * restarts, downtime (it goes out late, marked so) and several processes on one database.
 */
export class SlaSweep {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sla: SlaService,
    private readonly oncall: OnCallService,
    private readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: SlaSweepOptions,
  ) {}

  async run(now: Date = this.clock.now()): Promise<SweepResult> {
    const policy = await this.sla.policy();
    const chain = await this.oncall.chainAt(this.store.manager, now);
    const total: SweepResult = { ...EMPTY };
    const failures: unknown[] = [];
    await this.sweep(FAULT_SUBJECT, now, policy, chain, total, failures);
    await this.sweep(REQUEST_SUBJECT, now, policy, chain, total, failures);
    if (total.sent > 0) this.options.onOutbox?.();
    if (failures.length > 0) {
      throw new AggregateError(failures, `SLA sweep: ${failures.length} record(s) failed, ${total.records} done`);
    }
    return total;
  }

  /** The due records of one kind, in (next_reminder_at, id) order, one batch at a time. */
  private async sweep<R extends SlaRecord>(
    subject: SlaSubject<R>,
    now: Date,
    policy: SlaPolicy,
    chain: EscalationChain,
    total: SweepResult,
    failures: unknown[],
  ): Promise<void> {
    const batchSize = this.options.batchSize ?? 200;
    let after: { at: string; id: number } | undefined;
    for (;;) {
      const query = this.store.manager
        .createQueryBuilder(subject.entity, 'r')
        .select('r.id', 'id')
        .addSelect('r.next_reminder_at', 'at')
        .where('r.next_reminder_at <= :now', { now: now.toISOString() })
        .orderBy('r.next_reminder_at', 'ASC')
        .addOrderBy('r.id', 'ASC')
        .limit(batchSize);
      if (after) query.andWhere('(r.next_reminder_at > :afterAt OR (r.next_reminder_at = :afterAt AND r.id > :afterId))', { afterAt: after.at, afterId: after.id });
      const rows = await query.getRawMany<{ id: number | string; at: string }>();
      const ids = rows.map((r) => Number(r.id));
      for (let i = 0; i < ids.length; i += GROUP) {
        const group = ids.slice(i, i + GROUP);
        const add = (done: SweepResult) => {
          total.records += done.records;
          total.sent += done.sent;
          total.late += done.late;
        };
        try {
          // Several records per transaction: one commit instead of many. Each record keeps its own
          // conditional update, so a record another process won is simply skipped.
          const results = await this.store.transaction(async (manager) => {
            const done: SweepResult[] = [];
            for (const id of group) done.push(await this.process(manager, subject, id, now, policy, chain));
            return done;
          });
          results.forEach(add);
        } catch {
          // One record failed and took the group with it: redo the group one record at a time.
          for (const id of group) {
            try {
              add(await this.store.transaction((manager) => this.process(manager, subject, id, now, policy, chain)));
            } catch (error) {
              failures.push(error);
            }
          }
        }
      }
      const last = rows[rows.length - 1];
      if (!last || rows.length < batchSize) return;
      after = { at: last.at, id: Number(last.id) };
    }
  }

  private async process<R extends SlaRecord>(
    manager: EntityManager,
    subject: SlaSubject<R>,
    id: number,
    now: Date,
    policy: SlaPolicy,
    chain: EscalationChain,
  ): Promise<SweepResult> {
    const record = await loadRecord(manager, subject, id);
    if (!record?.nextReminderAt || record.nextReminderAt > now) return EMPTY;
    const current = slaFieldsOf(record);
    const evaluation = evaluate(subject.facts(record), current, policy.targets[subject.kind][record.priority], policy, now);
    const sends: { target: SlaTarget; step: Step }[] = [];
    for (const target of SLA_TARGETS) {
      const state = evaluation.targets[target];
      if (!state.open) continue;
      const due = dueSteps(state.steps, state.done, current.slaSnoozedUntil, now);
      for (const step of due.send) sends.push({ target, step });
      state.done = due.done;
    }
    const fields = { ...evaluation.fields, slaResponseStep: evaluation.targets.response.done, slaResolveStep: evaluation.targets.resolve.done };
    fields.nextReminderAt = nextReminderAt(evaluation.targets, fields.slaSnoozedUntil);
    // Only the process whose update still finds the counters as it read them sends these steps.
    const claimed = await writeSla(manager, subject, id, fields, {
      version: record.version,
      responseStep: current.slaResponseStep,
      resolveStep: current.slaResolveStep,
      nextReminderAt: current.nextReminderAt,
    });
    if (!claimed) return EMPTY;
    Object.assign(record, fields);
    await auditBreaches(manager, subject, record, evaluation, now);

    const messages: OutgoingMessage[] = [];
    let late = 0;
    for (const { target, step } of sends) {
      const sent = await this.notices(manager, subject, record, target, step, evaluation, chain, now);
      messages.push(...sent.messages);
      late += sent.late;
    }
    if (sends.some((s) => s.step.kind !== 'remind') || evaluation.newlyBreached.length > 0) {
      messages.push(...(await subject.refreshCard(record, { manager, settings: this.settings, timeZone: this.options.timeZone, defaultLocale: this.options.defaultLocale, now })));
    }
    await enqueue(manager, now, messages, { kind: subject.kind, id: record.id });
    return { records: sends.length > 0 ? 1 : 0, sent: messages.length, late };
  }

  /** The messages of one step: to the responsible person, or up the escalation chain. */
  private async notices<R extends SlaRecord>(
    manager: EntityManager,
    subject: SlaSubject<R>,
    record: R,
    target: SlaTarget,
    step: Step,
    evaluation: Evaluation,
    chain: EscalationChain,
    now: Date,
  ): Promise<{ messages: OutgoingMessage[]; late: number }> {
    const responsibleId = record.assigneeId ?? chain.primary ?? null;
    const recipients: (number | null)[] =
      step.kind !== 'escalate' ? [responsibleId] : step.level === 1 ? [chain.secondary ?? null] : chain.managers.length > 0 ? chain.managers : [null];
    const dueAt = evaluation.targets[target].dueAt ?? now;
    const fellDue = effectiveAt(step, record.slaSnoozedUntil) ?? now;
    const late = now.getTime() - fellDue.getTime() > LATE_AFTER_MS;
    const earlier: EarlierNotice[] =
      step.kind === 'escalate'
        ? (
            await manager.find(SlaNotice, {
              where: [
                { recordType: subject.kind, recordId: record.id, target, kind: 'remind' },
                { recordType: subject.kind, recordId: record.id, target, kind: 'breach' },
              ],
              order: { id: 'ASC' },
            })
          ).map((n) => ({ personId: n.recipientId, sentAt: n.sentAt }))
        : [];
    const ids = [...recipients, responsibleId, ...earlier.map((e) => e.personId)].filter((v): v is number => v !== null);
    const { views, people } = await peopleViews(manager, ids);

    const messages: OutgoingMessage[] = [];
    const seen = new Set<string>();
    for (const personId of recipients) {
      const dm = personId === null ? undefined : await this.people.dmTarget(manager, personId);
      const destination: ChatTarget | undefined = dm ?? (await subject.channel(this.settings));
      if (!destination) continue;
      const recipient = dm && personId !== null ? `person:${personId}` : `channel:${destination.platform}:${destination.id}`;
      if (seen.has(recipient)) continue;
      seen.add(recipient);
      await manager.save(
        SlaNotice,
        manager.create(SlaNotice, {
          recordType: subject.kind,
          recordId: record.id,
          target,
          step: step.index,
          kind: step.kind,
          recipient,
          recipientId: dm ? personId : null,
          dueAt: fellDue,
          sentAt: now,
          late: late ? 1 : 0,
        }),
      );
      const locale = resolveLocale(personId === null || !dm ? undefined : people.get(personId)?.locale, this.options.defaultLocale);
      const message = noticeMessage({
        subject,
        record,
        target,
        step,
        dueAt,
        now,
        late,
        responsibleId,
        earlier,
        t: translator(locale),
        platform: destination.platform,
        timeZone: this.options.timeZone,
        people: views,
        toChannel: !dm,
      });
      messages.push({ target: destination, message });
    }
    return { messages, late: late ? messages.length : 0 };
  }
}
