import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { alertCounts, channelCardMessage, personalCardMessage, type AlertCounts, type CardContext } from './card.js';
import type { IncomingAlert, Notification } from './normalize.js';
import { monitoringSettings, priorityFor, type MonitoringSettings } from './settings.js';
import { translator, type Locale } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { formatFaultId, isOpen, type Level, type Priority } from '../faults/rules.js';
import type { AlertEvent, FaultService } from '../faults/service.js';
import type { OnCallService } from '../oncall/service.js';
import { enqueue, type OutgoingMessage } from '../outbox/outbox.js';
import type { SettingsService } from '../settings/service.js';
import { Alert, AlertGroup, Fault, Identity, Person } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

/** Issue #11 item 6: a storm edits each card at most once every 10 seconds. */
export const CARD_EDIT_INTERVAL_MS = 10_000;
/** Concurrent deliveries of one notification collide on a unique index; the loser runs again and finds the winner's rows. */
const MAX_ATTEMPTS = 5;
/** SQLite binds at most 999 parameters per statement. */
const IN_CHUNK = 500;

/** Impact and urgency that give each priority by the policy's matrix (rules.ts), so that a mapped priority keeps the matrix rule. */
const LEVELS_FOR: Record<Priority, { impact: Level; urgency: Level }> = {
  P1: { impact: 1, urgency: 1 },
  P2: { impact: 1, urgency: 2 },
  P3: { impact: 2, urgency: 2 },
  P4: { impact: 2, urgency: 3 },
};

/** What one notification did, for the HTTP answer and the metrics. */
export interface IntakeResult {
  /** The fault the group feeds now, or null when nothing was stored (only resolved alerts of an unknown group). */
  faultId: number | null;
  created: boolean;
  /** Alerts whose state changed (new, fired again, resolved). */
  changed: number;
  /** Alerts that repeated what was already stored (redeliveries, repeat notifications). */
  deduplicated: number;
}

export interface AlertIntakeOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
}

/**
 * Extension point for issue #11 item 10 (configuration items): called with each new monitoring fault
 * and its alerts' configuration-item names (from `instance`, `service` or `job`), inside the
 * transaction. Not wired yet: the configuration-item capability is another branch.
 */
export type ConfigurationItemLinker = (manager: EntityManager, fault: Fault, itemNames: string[]) => Promise<void>;

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : String(error);
  return /UNIQUE constraint failed|duplicate key value violates unique constraint|SQLITE_CONSTRAINT_UNIQUE|23505/.test(text);
}

function groupHash(source: string, groupKey: string): string {
  return createHash('sha256').update(`${source}\u0000${groupKey}`).digest('hex');
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** The alert began a new firing episode compared with what is stored. */
function firesAnew(alert: IncomingAlert, stored: Alert | undefined): boolean {
  if (alert.status !== 'firing') return false;
  if (!stored || stored.status === 'resolved') return true;
  return alert.startsAt !== null && !sameTime(alert.startsAt, stored.startsAt);
}

function changedFrom(alert: IncomingAlert, stored: Alert | undefined): boolean {
  if (!stored) return true;
  if (firesAnew(alert, stored)) return true;
  return alert.status !== stored.status;
}

/**
 * Monitoring intake (issue #11, policy 4.4): turns one webhook notification into at most one open
 * fault per alert group, listing the group's alerts by fingerprint. Everything a notification changes
 * is stored in one transaction before the sender gets its 2xx; chat messages go through the outbox.
 */
export class AlertIntake {
  /** See ConfigurationItemLinker; set by the configuration-item capability once it exists. */
  linkConfigurationItems: ConfigurationItemLinker | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly faults: FaultService,
    private readonly settings: SettingsService,
    private readonly oncall: OnCallService,
    private readonly options: AlertIntakeOptions,
  ) {}

  /**
   * Stores one notification. Safe to call twice with the same notification, also at once from two
   * processes: the second changes nothing. Throws what the database throws (the caller answers 5xx).
   */
  async ingest(notification: Notification): Promise<IntakeResult> {
    const config = await monitoringSettings(this.settings);
    const alerts = [...new Map(notification.alerts.map((a) => [a.fingerprint, a])).values()];
    const deduped = { ...notification, alerts };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.store.transaction((manager) => this.ingestIn(manager, deduped, config));
        if (result.changed > 0) this.options.onOutbox?.();
        return { ...result, deduplicated: result.deduplicated + notification.alerts.length - alerts.length };
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !(isUniqueViolation(error) || error instanceof ConflictError)) throw error;
      }
    }
  }

  private cardContext(manager: EntityManager): CardContext {
    return { manager, timeZone: this.options.timeZone, defaultLocale: this.options.defaultLocale };
  }

  private async ingestIn(manager: EntityManager, n: Notification, config: MonitoringSettings): Promise<IntakeResult> {
    const now = this.clock.now();
    const hash = groupHash(n.source, n.groupKey);
    const group = await manager.findOne(AlertGroup, { where: { groupHash: hash, currentSlot: 1 } });
    const stored = group ? await this.storedAlerts(manager, group.faultId, n.alerts) : new Map<string, Alert>();
    // Fast path for repeat notifications (most of a storm): nothing changed, so the fault is not even
    // read. The group's foreign key (ON DELETE CASCADE) guarantees its fault exists.
    if (group && n.truncatedAlerts === group.truncatedAlerts && !n.alerts.some((a) => changedFrom(a, stored.get(a.fingerprint)))) {
      return { faultId: group.faultId, created: false, changed: 0, deduplicated: n.alerts.length };
    }
    let fault = group ? await manager.findOne(Fault, { where: { id: group.faultId } }) : null;
    const firingAnew = n.alerts.some((a) => firesAnew(a, stored.get(a.fingerprint)));

    if (!group || !fault) {
      if (!n.alerts.some((a) => a.status === 'firing')) return { faultId: null, created: false, changed: 0, deduplicated: n.alerts.length };
      const created = await this.openFault(manager, n, config, hash, null, now);
      return { faultId: created.id, created: true, changed: n.alerts.length, deduplicated: 0 };
    }

    let moved = false;
    if (!isOpen(fault.state) && firingAnew) {
      const resolvedAt = fault.resolvedAt?.getTime() ?? 0;
      if (fault.state === 'resolved' && now.getTime() - resolvedAt <= config.reopenMinutes * 60_000) {
        fault = await this.faults.reopenBySystemIn(manager, fault.id);
        moved = true;
      } else {
        const detached = await manager.update(AlertGroup, { id: group.id, currentSlot: 1 }, { currentSlot: null });
        if (detached.affected !== 1) throw new ConflictError('faults.error.changedMeanwhile', { id: formatFaultId(fault.id) });
        const created = await this.openFault(manager, n, config, hash, fault.id, now);
        return { faultId: created.id, created: true, changed: n.alerts.length, deduplicated: 0 };
      }
    }

    const changes = n.alerts.filter((a) => changedFrom(a, stored.get(a.fingerprint)));
    const truncatedChanged = n.truncatedAlerts !== group.truncatedAlerts;
    if (changes.length === 0 && !truncatedChanged && !moved) {
      return { faultId: fault.id, created: false, changed: 0, deduplicated: n.alerts.length };
    }
    await this.writeAlerts(manager, fault.id, n.source, changes, stored, config, now);
    if (truncatedChanged) await manager.update(AlertGroup, { id: group.id }, { truncatedAlerts: n.truncatedAlerts });
    group.truncatedAlerts = n.truncatedAlerts;
    const counts = await alertCounts(manager, fault.id);
    moved = (await this.afterChange(manager, fault, group, n, config, counts, now)) || moved;
    await this.refreshCard(manager, fault, group, counts, config, now, moved);
    return { faultId: fault.id, created: false, changed: changes.length, deduplicated: n.alerts.length - changes.length };
  }

  private async storedAlerts(manager: EntityManager, faultId: number, alerts: IncomingAlert[]): Promise<Map<string, Alert>> {
    const found = new Map<string, Alert>();
    const fingerprints = alerts.map((a) => a.fingerprint);
    for (let i = 0; i < fingerprints.length; i += IN_CHUNK) {
      const rows = await manager.find(Alert, { where: { faultId, fingerprint: In(fingerprints.slice(i, i + IN_CHUNK)) } });
      for (const row of rows) found.set(row.fingerprint, row);
    }
    return found;
  }

  /** The reporter of a source's faults: a person without chat accounts, named after the sender. */
  private async reporterFor(manager: EntityManager, source: string, now: Date): Promise<Person> {
    const name = source === 'alertmanager' ? 'Alertmanager' : source === 'grafana' ? 'Grafana' : `Monitoring (${source})`;
    const existing = await manager
      .createQueryBuilder(Person, 'p')
      .leftJoin(Identity, 'i', 'i.person_id = p.id')
      .where('p.display_name = :name AND i.id IS NULL', { name })
      .orderBy('p.id', 'ASC')
      .getOne();
    return existing ?? (await manager.save(Person, manager.create(Person, { displayName: name, locale: null, createdAt: now })));
  }

  private async openFault(manager: EntityManager, n: Notification, config: MonitoringSettings, hash: string, previousFaultId: number | null, now: Date): Promise<Fault> {
    const firing = n.alerts.filter((a) => a.status === 'firing');
    const priority = priorityFor(firing.map((a) => a.labels[config.severityLabel]), config.severityMap);
    const earliest = Math.min(...firing.map((a) => a.startsAt?.getTime() ?? now.getTime()));
    // Issue #11 item 5: the SLA clocks start at the alert's startsAt or at arrival, whichever is later.
    const createdAt = new Date(Math.max(earliest, now.getTime()));
    const reporter = await this.reporterFor(manager, n.source, now);
    const itemNames = [...new Set(firing.map((a) => a.configurationItem).filter((c): c is string => c !== null))];
    const fault = await this.faults.reportIn(
      manager,
      { personId: reporter.id, displayName: reporter.displayName },
      { title: n.title, description: n.description, category: 'other', ...LEVELS_FOR[priority], affectedSystem: itemNames[0]?.slice(0, 150) },
      {
        source: 'alert',
        platform: n.source.slice(0, 16),
        createdAt,
        beforeNotify: async (created) => {
          await manager.insert(AlertGroup, {
            faultId: created.id,
            source: n.source,
            groupHash: hash,
            groupKey: n.groupKey,
            currentSlot: 1,
            truncatedAlerts: n.truncatedAlerts,
            previousFaultId,
            cardDueAt: now,
            clearedAt: null,
            createdAt: now,
          });
          await this.writeAlerts(manager, created.id, n.source, n.alerts, new Map(), config, now);
        },
      },
    );
    await this.linkConfigurationItems?.(manager, fault, itemNames);
    await this.page(manager, fault, n.source, now);
    return fault;
  }

  /** Issue #11 item 6: the on-call primary gets the new fault by DM, with Acknowledge. */
  private async page(manager: EntityManager, fault: Fault, source: string, now: Date): Promise<void> {
    const chain = await this.oncall.chainAt(manager, now);
    if (chain.primary === undefined) return;
    const message = await personalCardMessage(fault, chain.primary, this.cardContext(manager), (t) =>
      t('monitoring.page', { id: formatFaultId(fault.id), priority: fault.priority, source }),
    );
    if (message) await enqueue(manager, now, [message], { kind: 'fault', id: fault.id });
  }

  private async writeAlerts(
    manager: EntityManager,
    faultId: number,
    source: string,
    alerts: IncomingAlert[],
    stored: Map<string, Alert>,
    config: MonitoringSettings,
    now: Date,
  ): Promise<void> {
    const inserts: Partial<Alert>[] = [];
    const events: AlertEvent[] = [];
    for (const a of alerts) {
      const before = stored.get(a.fingerprint);
      const fields = {
        status: a.status,
        name: a.name,
        summary: a.value ? `${a.summary} [${a.value}]`.slice(0, 300) : a.summary,
        severity: a.labels[config.severityLabel]?.slice(0, 32) ?? null,
        configurationItem: a.configurationItem,
        labels: JSON.stringify(a.labels),
        startsAt: a.startsAt ?? before?.startsAt ?? now,
        endsAt: a.status === 'resolved' ? (a.endsAt ?? now) : null,
        changedAt: now,
      };
      events.push({ kind: a.status === 'firing' ? 'alert_firing' : 'alert_resolved', note: a.name, details: { source, fingerprint: a.fingerprint }, at: now });
      if (!before) {
        inserts.push({ ...fields, faultId, source, fingerprint: a.fingerprint, fireCount: a.status === 'firing' ? 1 : 0, firstSeenAt: now });
      } else {
        await manager.update(Alert, { id: before.id }, { ...fields, fireCount: before.fireCount + (firesAnew(a, before) ? 1 : 0) });
      }
    }
    // 16 columns a row: batches of 50 stay below SQLite's 999 bound parameters.
    // Without re-reading generated columns: nothing here uses the new ids, and it halves the cost.
    for (let i = 0; i < inserts.length; i += 50) {
      await manager.createQueryBuilder().insert().into(Alert).values(inserts.slice(i, i + 50)).updateEntity(false).execute();
    }
    await this.faults.appendAlertEvents(manager, faultId, events);
  }

  /**
   * Issue #11 item 7: once every listed alert has resolved and none was truncated away, resolve an
   * unacknowledged fault (per `alert_autoresolve`) or tell the assignee. True when the fault moved.
   */
  private async afterChange(manager: EntityManager, fault: Fault, group: AlertGroup, n: Notification, config: MonitoringSettings, counts: AlertCounts, now: Date): Promise<boolean> {
    const cleared = counts.firing === 0 && group.truncatedAlerts === 0;
    if (!cleared) {
      if (group.clearedAt !== null) await manager.update(AlertGroup, { id: group.id }, { clearedAt: null });
      group.clearedAt = null;
      return false;
    }
    if (group.clearedAt !== null) return false;
    group.clearedAt = now;
    await manager.update(AlertGroup, { id: group.id }, { clearedAt: now });
    await this.faults.appendAlertEvents(manager, fault.id, [{ kind: 'alert_cleared', note: n.source, details: { source: n.source, groupKey: n.groupKey }, at: now }]);
    if (!isOpen(fault.state)) return false;
    const unacknowledged = fault.state === 'reported';
    if (config.autoresolve === 'always' || (config.autoresolve === 'unacknowledged' && unacknowledged)) {
      const t = translator(this.options.defaultLocale);
      await this.faults.resolveBySystemIn(manager, fault.id, {
        rootCause: t('monitoring.autoresolve.rootCause'),
        resolutionSteps: t(unacknowledged ? 'monitoring.autoresolve.steps' : 'monitoring.autoresolve.stepsAcknowledged', { source: n.source }),
      });
      Object.assign(fault, await manager.findOneOrFail(Fault, { where: { id: fault.id } }));
      return true;
    }
    if (fault.assigneeId !== null) {
      const message = await personalCardMessage(fault, fault.assigneeId, this.cardContext(manager), (t) => t('monitoring.cleared', { id: formatFaultId(fault.id) }));
      if (message) await enqueue(manager, now, [message], { kind: 'fault', id: fault.id });
    }
    return false;
  }

  /**
   * Queues the edited channel card, coalesced: an edit waits until 10 s after the previous card
   * version, and the dispatcher delivers only the newest pending version (issue #11 item 6).
   * When the fault service just moved the fault, it already queued a card.
   */
  private async refreshCard(manager: EntityManager, fault: Fault, group: AlertGroup, counts: AlertCounts, config: MonitoringSettings, now: Date, moved: boolean): Promise<void> {
    if (moved) {
      await manager.update(AlertGroup, { id: group.id }, { cardDueAt: now });
      return;
    }
    const channel = config.faultChannel;
    if (!channel) return;
    const previous = group.cardDueAt?.getTime() ?? 0;
    const due = previous >= now.getTime() ? previous : Math.max(now.getTime(), previous + CARD_EDIT_INTERVAL_MS);
    const message: OutgoingMessage = { ...(await channelCardMessage(fault, channel, this.cardContext(manager), { group, counts })), notBefore: new Date(due) };
    await enqueue(manager, now, [message], { kind: 'fault', id: fault.id });
    if (due !== previous) await manager.update(AlertGroup, { id: group.id }, { cardDueAt: new Date(due) });
  }
}
