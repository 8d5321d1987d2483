import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { personalCardMessage, type AlertCounts, type CardContext } from './card.js';
import { changedFrom, firesAnew, onePerFingerprint, ownStatus, slaStart } from './alert-rules.js';
import { CardRedraws } from './card-redraw.js';
import { ciNameOf, matchItems } from './ci-link.js';
import { ALERTS_PER_TURN, giveWay, slices } from './give-way.js';
import type { IncomingAlert, Notification } from './normalize.js';
import { MonitoringSettingsCache, priorityFor, type MonitoringSettings } from './settings.js';
import { IntakeSql, type AlertEventRow, type AlertFields, type FaultHead, type NewAlertRow, type StoredAlert } from './sql.js';
import { linkRecord } from '../cis/records.js';
import { countKey, translator, type Locale, type Translate } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import { ConflictError } from '../errors.js';
import { formatFaultId, isOpen, type Level, type Priority } from '../faults/rules.js';
import type { FaultService } from '../faults/service.js';
import type { OnCallService } from '../oncall/service.js';
import { enqueue } from '../outbox/outbox.js';
import type { SettingsService } from '../settings/service.js';
import { AlertGroup, Fault, Identity, Person } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export { CARD_EDIT_INTERVAL_MS } from './card-redraw.js';
/** Concurrent deliveries of one notification collide on a unique index; the loser runs again and finds the winner's rows. */
const MAX_ATTEMPTS = 5;
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
  /** Alerts that repeated what was already stored for their fingerprint (redeliveries, repeat and stale notifications). */
  deduplicated: number;
  /**
   * Alerts that changed nothing without repeating anything stored: resolved alerts of a group with no
   * fault (also "firing" ones whose endsAt had passed), and the extra entries of a fingerprint a body
   * lists more than once. Not counted in opsdesk_alerts_deduplicated_total (docs/monitoring.md).
   */
  ignored: number;
  /**
   * Every alert of the body by its own status (ownStatus: a firing alert whose endsAt has passed counts
   * as resolved), duplicates of a fingerprint included: the counts behind opsdesk_alerts_received_total.
   */
  received: Record<IncomingAlert['status'], number>;
}

export interface AlertIntakeOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: () => void;
}

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : String(error);
  return /UNIQUE constraint failed|duplicate key value violates unique constraint|SQLITE_CONSTRAINT_UNIQUE|23505/.test(text);
}

function groupHash(source: string, groupKey: string): string {
  return createHash('sha256').update(`${source}\u0000${groupKey}`).digest('hex');
}

/** The notification repeats what is stored for the group: same truncation, no alert new or changed. */
function isRepeat(n: Notification, group: AlertGroup, stored: Map<string, StoredAlert>): boolean {
  return n.truncatedAlerts === group.truncatedAlerts && !n.alerts.some((a) => changedFrom(a, stored.get(a.fingerprint)));
}

/** The timeline line for a group whose notifications start leaving alerts out (the sender's max_alerts or opsdesk's MAX_ALERTS_PER_BODY). */
function truncatedEvent(n: Notification, now: Date): AlertEventRow {
  return { kind: 'alert_truncated', note: String(n.truncatedAlerts), details: { source: n.source, groupKey: n.groupKey, truncated: String(n.truncatedAlerts), capped: String(n.capped) }, at: now };
}

/**
 * Monitoring intake (issue #11, policy 4.4): turns one webhook notification into at most one open
 * fault per alert group, listing the group's alerts by fingerprint. Everything a notification changes
 * is stored in one transaction before the sender gets its 2xx; chat messages go through the outbox.
 * The common paths (a repeat, an alert joining an open fault) run as plain SQL (sql.ts); opening,
 * reopening and resolving a fault go through the fault service like any other fault.
 */
export class AlertIntake {
  /** The monitoring settings, re-read at most once a second (settings.ts). */
  readonly settingsCache: MonitoringSettingsCache;
  /** Draws the coalesced channel cards (card-redraw.ts); its task runs in the monitoring capability. */
  readonly cards: CardRedraws;
  private readonly sql: IntakeSql;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly faults: FaultService,
    settings: SettingsService,
    private readonly oncall: OnCallService,
    private readonly options: AlertIntakeOptions,
  ) {
    this.settingsCache = new MonitoringSettingsCache(settings);
    this.sql = new IntakeSql(store.kind, store.dataSource);
    this.cards = new CardRedraws(store, clock, this.sql, this.settingsCache, options);
  }

  /**
   * Stores one notification. Safe to call twice with the same notification, also at once from two
   * processes: the second changes nothing. Throws what the database throws (the caller answers 5xx).
   */
  async ingest(notification: Notification): Promise<IntakeResult> {
    const config = await this.settingsCache.get();
    const now = this.clock.now();
    const own = notification.alerts.map((a) => ownStatus(a, now));
    const received = { firing: 0, resolved: 0 };
    for (const a of own) received[a.status]++;
    const alerts = onePerFingerprint(own);
    const deduped = { ...notification, alerts };
    // A repeat (most notifications of a storm: Alertmanager re-sends the whole group every
    // group_interval) is answered from one read, without the cost of a transaction (SQLite only).
    const peeked = this.sql.peek(groupHash(notification.source, notification.groupKey), alerts.map((a) => a.fingerprint));
    if (peeked?.group && isRepeat(deduped, peeked.group, peeked.stored)) {
      return { faultId: peeked.group.faultId, created: false, changed: 0, deduplicated: alerts.length, ignored: notification.alerts.length - alerts.length, received };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.store.transaction((manager) => this.ingestIn(manager, deduped, config));
        if (result.changed > 0) this.options.onOutbox?.();
        return { ...result, ignored: result.ignored + notification.alerts.length - alerts.length, received };
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !(isUniqueViolation(error) || error instanceof ConflictError)) throw error;
      }
    }
  }

  private cardContext(manager: EntityManager, now: Date): CardContext {
    return { manager, timeZone: this.options.timeZone, defaultLocale: this.options.defaultLocale, now };
  }

  private async ingestIn(manager: EntityManager, n: Notification, config: MonitoringSettings): Promise<Omit<IntakeResult, 'received'>> {
    const now = this.clock.now();
    const hash = groupHash(n.source, n.groupKey);
    const group = await this.sql.currentGroup(manager, hash);
    const stored = group ? await this.sql.storedAlerts(manager, group.faultId, n.alerts.map((a) => a.fingerprint)) : new Map<string, StoredAlert>();
    // Fast path for repeat notifications (most of a storm): nothing changed, so the fault is not even
    // read. The group's foreign key (ON DELETE CASCADE) guarantees its fault exists.
    if (group && isRepeat(n, group, stored)) return { faultId: group.faultId, created: false, changed: 0, deduplicated: n.alerts.length, ignored: 0 };
    let head: FaultHead | undefined = group ? await this.sql.faultHead(manager, group.faultId) : undefined;
    const firingAnew = n.alerts.some((a) => firesAnew(a, stored.get(a.fingerprint)));

    if (!group || !head) {
      if (!n.alerts.some((a) => a.status === 'firing')) return { faultId: null, created: false, changed: 0, deduplicated: 0, ignored: n.alerts.length };
      const created = await this.openFault(manager, n, config, hash, null, now);
      return { faultId: created.id, created: true, changed: n.alerts.length, deduplicated: 0, ignored: 0 };
    }

    let moved = false;
    let reopen = false;
    let fault: Fault | undefined;
    if (!isOpen(head.state) && firingAnew) {
      const resolvedAt = head.resolvedAt?.getTime() ?? 0;
      if (head.state === 'resolved' && now.getTime() - resolvedAt <= config.reopenMinutes * 60_000) {
        // Reopened below, once the alerts are written: the card the reopening draws must list them as they are now.
        reopen = true;
        moved = true;
      } else {
        const detached = await manager.update(AlertGroup, { id: group.id, currentSlot: 1 }, { currentSlot: null });
        if (detached.affected !== 1) throw new ConflictError('faults.error.changedMeanwhile', { id: formatFaultId(head.id) });
        const created = await this.openFault(manager, n, config, hash, head.id, now);
        return { faultId: created.id, created: true, changed: n.alerts.length, deduplicated: 0, ignored: 0 };
      }
    }

    const changes = n.alerts.filter((a) => changedFrom(a, stored.get(a.fingerprint)));
    const truncatedChanged = n.truncatedAlerts !== group.truncatedAlerts;
    if (changes.length === 0 && !truncatedChanged && !moved) {
      return { faultId: head.id, created: false, changed: 0, deduplicated: n.alerts.length, ignored: 0 };
    }
    await this.writeAlerts(manager, head.id, n.source, changes, stored, config, now);
    const truncatedBefore = group.truncatedAlerts;
    if (truncatedChanged) {
      await this.sql.setTruncated(manager, group.id, n.truncatedAlerts);
      if (truncatedBefore === 0) await this.sql.insertFaultEvents(manager, head.id, [truncatedEvent(n, now)]);
    }
    group.truncatedAlerts = n.truncatedAlerts;
    if (reopen) {
      // Nobody owns it (resolved when its alerts cleared before anyone acknowledged): back to Reported,
      // and the on-call primary is paged again as for a new monitoring fault.
      const unowned = head.assigneeId === null;
      fault = await this.faults.reopenBySystemIn(manager, head.id, { unowned });
      head = fault;
      if (unowned) await this.page(manager, fault, n.source, now);
    }
    const faultId = head.id;
    const loadFault = async () => (fault ??= await manager.findOneOrFail(Fault, { where: { id: faultId } }));
    let counts: AlertCounts | undefined;
    // Only a resolved alert, a changed truncation or an earlier "cleared" can change whether the group
    // has cleared: while alerts only fire, there is nothing to count.
    if (moved || truncatedChanged || group.clearedAt !== null || changes.some((a) => a.status === 'resolved')) {
      counts = await this.sql.counts(manager, faultId);
      moved = (await this.afterChange(manager, head, loadFault, group, truncatedBefore, n, config, counts, now)) || moved;
    }
    await this.cards.changed(manager, config.faultChannel, group, moved, now, async () => ({ fault: await loadFault(), counts: counts ?? (await this.sql.counts(manager, faultId)) }));
    // Every alert left out of `changes` is stored (an unstored one is a change): it repeated what was stored.
    return { faultId, created: false, changed: changes.length, deduplicated: n.alerts.length - changes.length, ignored: 0 };
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
    const createdAt = slaStart(firing.map((a) => a.startsAt), now);
    const reporter = await this.reporterFor(manager, n.source, now);
    const itemNames = [...new Set(firing.map((a) => ciNameOf(a, config.ciLabels)).filter((c): c is string => c !== null))];
    // Issue #11 item 10: the items the alerts name (by name or alias); the first one is the affected system.
    const items = await matchItems(manager, itemNames);
    const affected = items[0]?.name ?? itemNames[0];
    const fault = await this.faults.reportIn(
      manager,
      { personId: reporter.id, displayName: reporter.displayName },
      { title: n.title, description: n.description, category: 'other', ...LEVELS_FOR[priority], affectedSystem: affected?.slice(0, 150) },
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
            cardRedrawAt: null,
            clearedAt: null,
            createdAt: now,
          });
          await this.writeAlerts(manager, created.id, n.source, n.alerts, new Map(), config, now);
          if (n.truncatedAlerts > 0) await this.sql.insertFaultEvents(manager, created.id, [truncatedEvent(n, now)]);
          // Linked before the announcement is drawn, so that its card shows the item's owner and runbook.
          if (items.length > 0) await linkRecord(manager, 'fault', created.id, items.map((i) => i.id));
        },
      },
    );
    await this.page(manager, fault, n.source, now);
    return fault;
  }

  /** Issue #11 item 6: the on-call primary gets the new fault by DM, with Acknowledge. */
  private async page(manager: EntityManager, fault: Fault, source: string, now: Date): Promise<void> {
    const chain = await this.oncall.chainAt(manager, now);
    if (chain.primary === undefined) return;
    const message = await personalCardMessage(fault, chain.primary, this.cardContext(manager, now), (t) =>
      t('monitoring.page', { id: formatFaultId(fault.id), priority: fault.priority, source }),
    );
    if (message) await enqueue(manager, now, [message], { kind: 'fault', id: fault.id });
  }

  /**
   * Inserts the new alerts in multi-row statements, updates the changed ones, and writes one timeline
   * line each; ALERTS_PER_TURN at a time, giving way to other requests in between (give-way.ts).
   */
  private async writeAlerts(
    manager: EntityManager,
    faultId: number,
    source: string,
    alerts: IncomingAlert[],
    stored: Map<string, StoredAlert>,
    config: MonitoringSettings,
    now: Date,
  ): Promise<void> {
    for (const [i, slice] of slices(alerts, ALERTS_PER_TURN).entries()) {
      if (i > 0) await giveWay();
      await this.writeSlice(manager, faultId, source, slice, stored, config, now);
    }
  }

  private async writeSlice(
    manager: EntityManager,
    faultId: number,
    source: string,
    alerts: IncomingAlert[],
    stored: Map<string, StoredAlert>,
    config: MonitoringSettings,
    now: Date,
  ): Promise<void> {
    const inserts: NewAlertRow[] = [];
    const events: AlertEventRow[] = [];
    for (const a of alerts) {
      const before = stored.get(a.fingerprint);
      const fields: AlertFields = {
        status: a.status,
        name: a.name,
        summary: a.value ? `${a.summary} [${a.value}]`.slice(0, 300) : a.summary,
        severity: a.labels[config.severityLabel]?.slice(0, 32) ?? null,
        configurationItem: ciNameOf(a, config.ciLabels),
        labels: JSON.stringify(a.labels),
        startsAt: a.startsAt ?? before?.startsAt ?? now,
        endsAt: a.status === 'resolved' ? (a.endsAt ?? now) : null,
        changedAt: now,
      };
      events.push({ kind: a.status === 'firing' ? 'alert_firing' : 'alert_resolved', note: a.name, details: { source, fingerprint: a.fingerprint }, at: now });
      if (!before) {
        inserts.push({ ...fields, faultId, source, fingerprint: a.fingerprint, fireCount: a.status === 'firing' ? 1 : 0, firstSeenAt: now });
      } else {
        await this.sql.updateAlert(manager, before.id, fields, before.fireCount + (firesAnew(a, before) ? 1 : 0));
      }
    }
    await this.sql.insertAlerts(manager, inserts);
    await this.sql.insertFaultEvents(manager, faultId, events);
  }

  /**
   * Issue #11 item 7: once every listed alert has resolved and none was truncated away, resolve an
   * unacknowledged fault (per `alert_autoresolve`) or tell the assignee. True when the fault moved.
   * When every listed alert has resolved but the sender left some out (`truncatedBefore` is the count
   * before this notification), nothing says those cleared: the fault stays open, its timeline and card
   * say so once (`alert_cleared_truncated`, cleared_at set) and the assignee is told; a later
   * notification that lists everything resolved clears the group as usual (docs/monitoring.md).
   */
  private async afterChange(
    manager: EntityManager,
    head: FaultHead,
    loadFault: () => Promise<Fault>,
    group: AlertGroup,
    truncatedBefore: number,
    n: Notification,
    config: MonitoringSettings,
    counts: AlertCounts,
    now: Date,
  ): Promise<boolean> {
    if (counts.firing > 0) {
      if (group.clearedAt !== null) await this.sql.setCleared(manager, group.id, null);
      group.clearedAt = null;
      return false;
    }
    const wasCleared = group.clearedAt !== null;
    if (group.truncatedAlerts > 0) {
      // Said once per quiet spell; the card keeps saying it while it lasts.
      if (wasCleared) return false;
      group.clearedAt = now;
      await this.sql.setCleared(manager, group.id, now);
      const count = String(group.truncatedAlerts);
      await this.sql.insertFaultEvents(manager, head.id, [{ kind: 'alert_cleared_truncated', note: count, details: { source: n.source, groupKey: n.groupKey, truncated: count }, at: now }]);
      if (isOpen(head.state)) await this.tellAssignee(manager, head, loadFault, now, (t, id) => t(countKey('monitoring.clearedTruncated', group.truncatedAlerts), { id, count: group.truncatedAlerts }));
      return false;
    }
    // Cleared before with nothing left out: said already. Cleared before while alerts were left out,
    // and now the sender lists them all, resolved: the group has cleared now.
    if (wasCleared && truncatedBefore === 0) return false;
    group.clearedAt = now;
    await this.sql.setCleared(manager, group.id, now);
    await this.sql.insertFaultEvents(manager, head.id, [{ kind: 'alert_cleared', note: n.source, details: { source: n.source, groupKey: n.groupKey }, at: now }]);
    if (!isOpen(head.state)) return false;
    const unacknowledged = head.state === 'reported';
    if (config.autoresolve === 'always' || (config.autoresolve === 'unacknowledged' && unacknowledged)) {
      const t = translator(this.options.defaultLocale);
      const fault = await this.faults.resolveBySystemIn(manager, head.id, {
        rootCause: t('monitoring.autoresolve.rootCause'),
        resolutionSteps: t(unacknowledged ? 'monitoring.autoresolve.steps' : 'monitoring.autoresolve.stepsAcknowledged', { source: n.source }),
      });
      // The entity the intake may hold is stale now; the card drawn later must show the resolution.
      Object.assign(await loadFault(), fault, await manager.findOneOrFail(Fault, { where: { id: head.id } }));
      return true;
    }
    await this.tellAssignee(manager, head, loadFault, now, (t, id) => t('monitoring.cleared', { id }));
    return false;
  }

  /** A DM with the fault's card to its assignee, if it has one, with `line` on top. */
  private async tellAssignee(manager: EntityManager, head: FaultHead, loadFault: () => Promise<Fault>, now: Date, line: (t: Translate, id: string) => string): Promise<void> {
    if (head.assigneeId === null) return;
    const fault = await loadFault();
    const message = await personalCardMessage(fault, head.assigneeId, this.cardContext(manager, now), (t) => line(t, formatFaultId(fault.id)));
    if (message) await enqueue(manager, now, [message], { kind: 'fault', id: fault.id });
  }
}
