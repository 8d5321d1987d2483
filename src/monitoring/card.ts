// What a monitoring fault's card shows besides the fault itself: its alerts by fingerprint, how many
// the sender left out, and the fault it follows; plus the channel card and the on-call page.
import { acknowledgerOf } from '../faults/acknowledger.js';
import type { EntityManager } from 'typeorm';
import { bodyWithTail, truncate } from '../chat/format.js';
import { faultCiContext } from '../cis/fault-context.js';
import { countKey, resolveLocale, translator, type Locale, type Translate } from '../chat/i18n/catalog.js';
import type { ChatTarget } from '../chat/model.js';
import { faultCard } from '../faults/cards.js';
import { announcementKey } from '../faults/notifications.js';
import { formatFaultId } from '../faults/rules.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { peopleViews } from '../people/views.js';
import { Alert, AlertGroup, type Fault } from '../store/entities/index.js';

/** Alerts listed on a card; the rest are counted (Slack section text is at most 3000 characters). */
export const CARD_ALERT_LINES = 10;

interface AlertLine {
  status: 'firing' | 'resolved';
  name: string;
  summary: string;
  fingerprint: string;
}

/** How many of a fault's alerts fire and how many have resolved. */
export interface AlertCounts {
  firing: number;
  resolved: number;
}

/** What the intake has just read in the same transaction, so that drawing the card does not read it again. */
export interface KnownAlerts {
  group: AlertGroup;
  counts: AlertCounts;
}

/** Counts a fault's alerts by status, in the caller's transaction. */
export async function alertCounts(manager: EntityManager, faultId: number): Promise<AlertCounts> {
  const counts: { status: string; n: string | number }[] = await manager
    .createQueryBuilder(Alert, 'a')
    .select('a.status', 'status')
    .addSelect('COUNT(*)', 'n')
    .where('a.fault_id = :id', { id: faultId })
    .groupBy('a.status')
    .getRawMany();
  return {
    firing: Number(counts.find((c) => c.status === 'firing')?.n ?? 0),
    resolved: Number(counts.find((c) => c.status === 'resolved')?.n ?? 0),
  };
}

/**
 * The card lines of a monitoring fault, read in the caller's transaction: the alert counts, up to
 * CARD_ALERT_LINES alerts (firing first) and "… and N more not listed" for the others, including those
 * the sender truncated. Undefined for a fault without an alert group.
 */
export async function alertCardDetails(manager: EntityManager, fault: Fault, known?: KnownAlerts): Promise<((t: Translate) => string) | undefined> {
  const group = known?.group ?? (await manager.findOne(AlertGroup, { where: { faultId: fault.id } }));
  if (!group) return undefined;
  const { firing, resolved } = known?.counts ?? (await alertCounts(manager, fault.id));
  const shown: AlertLine[] = await manager
    .createQueryBuilder(Alert, 'a')
    .select(['a.status', 'a.name', 'a.summary', 'a.fingerprint'])
    .where('a.fault_id = :id', { id: fault.id })
    .orderBy('a.status', 'ASC')
    .addOrderBy('a.name', 'ASC')
    .addOrderBy('a.fingerprint', 'ASC')
    .limit(CARD_ALERT_LINES)
    .getMany();
  const hidden = firing + resolved - shown.length + group.truncatedAlerts;
  return (t) => {
    const lines = [t('monitoring.card.alerts', { firing, resolved })];
    for (const a of shown) {
      lines.push(t('monitoring.card.row', { status: t(`monitoring.status.${a.status}`), name: truncate(a.name, 60), summary: truncate(a.summary, 120), fingerprint: a.fingerprint }));
    }
    if (hidden > 0) lines.push(t('monitoring.card.more', { count: hidden }));
    if (group.clearedAt !== null && group.truncatedAlerts > 0) lines.push(t(countKey('monitoring.card.clearedTruncated', group.truncatedAlerts), { count: group.truncatedAlerts }));
    if (group.previousFaultId !== null) lines.push(t('monitoring.card.previous', { id: formatFaultId(group.previousFaultId) }));
    return lines.join('\n');
  };
}

export interface CardContext {
  manager: EntityManager;
  timeZone: string;
  defaultLocale: Locale;
  /** UTC; the configuration item's possible causes are the changes of the 72 h before (src/cis/fault-context.ts). */
  now: Date;
}

/** The fault's channel card with its alerts, to be edited in place (the announcement's key); `known` saves re-reading the group and counts. */
export async function channelCardMessage(fault: Fault, channel: ChatTarget, ctx: CardContext, known?: KnownAlerts): Promise<OutgoingMessage> {
  const acknowledgedBy = await acknowledgerOf(ctx.manager, fault.id);
  const { views } = await peopleViews(ctx.manager, [fault.reporterId, ...(fault.assigneeId === null ? [] : [fault.assigneeId]), ...(acknowledgedBy === null ? [] : [acknowledgedBy])]);
  const t = translator(ctx.defaultLocale);
  const ci = await faultCiContext(ctx.manager, fault.id, ctx.now);
  const card = faultCard(fault, { t, platform: channel.platform, timeZone: ctx.timeZone, people: views, ci, acknowledgedBy });
  const details = (await alertCardDetails(ctx.manager, fault, known))?.(t);
  if (details) card.body = bodyWithTail(card.body ?? '', details);
  return { target: channel, key: announcementKey(fault.id), message: card };
}

/** A DM to one person about a monitoring fault: the card (with Acknowledge while unacknowledged) and a line on top. */
export async function personalCardMessage(
  fault: Fault,
  personId: number,
  ctx: CardContext,
  line: (t: Translate) => string,
): Promise<OutgoingMessage | undefined> {
  const acknowledgedBy = await acknowledgerOf(ctx.manager, fault.id);
  const { views, people } = await peopleViews(ctx.manager, [personId, fault.reporterId, ...(fault.assigneeId === null ? [] : [fault.assigneeId]), ...(acknowledgedBy === null ? [] : [acknowledgedBy])]);
  const account = views.get(personId)?.accounts[0];
  if (!account) return undefined;
  const target: ChatTarget = { platform: account.platform as ChatTarget['platform'], kind: 'dm', id: account.userId };
  const t = translator(resolveLocale(people.get(personId)?.locale, ctx.defaultLocale));
  const ci = await faultCiContext(ctx.manager, fault.id, ctx.now);
  const card = faultCard(fault, { t, platform: target.platform, timeZone: ctx.timeZone, people: views, ci, acknowledgedBy });
  const details = (await alertCardDetails(ctx.manager, fault))?.(t);
  if (details) card.body = bodyWithTail(card.body ?? '', details);
  const text = line(t);
  return { target, message: { ...card, fallback: text, context: [text, ...(card.context ?? [])] } };
}
