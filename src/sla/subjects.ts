// The kinds of records that have SLA clocks, and what the SLA machinery needs from each: its facts,
// its id, its action buttons for reminders, and its channel card to refresh at a breach.
import { acknowledgerOf } from '../faults/acknowledger.js';
import { faultCiContext, recordCiSummary } from '../cis/fault-context.js';
import type { EntityManager, EntityTarget } from 'typeorm';
import type { SlaFacts } from './evaluate.js';
import type { SlaKind } from './policy.js';
import type { Translate } from '../chat/i18n/catalog.js';
import { translator, type Locale } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatTarget } from '../chat/model.js';
import { faultCard, faultTitle } from '../faults/cards.js';
import { announcementKey } from '../faults/notifications.js';
import { formatFaultId, parseFaultId, type Priority } from '../faults/rules.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import { peopleViews } from '../people/views.js';
import { requestAnnouncementKey, requestCard, requestTitle } from '../requests/cards.js';
import { formatRequestId, parseRequestId } from '../requests/rules.js';
import { requestChannel } from '../requests/settings.js';
import type { SettingsService } from '../settings/service.js';
import { Fault, ServiceRequest } from '../store/entities/index.js';
import type { SlaTracked } from '../store/entities/sla-tracked.js';

/** The fields every SLA-tracked record has besides its SLA columns. */
export type SlaRecord = SlaTracked & { id: number; version: number; priority: Priority; assigneeId: number | null; createdAt: Date; title: string };

export interface CardContext {
  manager: EntityManager;
  settings: SettingsService;
  timeZone: string;
  defaultLocale: Locale;
  now: Date;
}

export interface SlaSubject<R extends SlaRecord> {
  kind: SlaKind;
  entity: EntityTarget<R>;
  formatId(id: number): string;
  parseId(text: string): number | undefined;
  facts(record: R): SlaFacts;
  /** `🔴 INC-4 · P1 · Mail server unreachable`. */
  title(record: R): string;
  /** The button that meets the target: Acknowledge / Take for the response, Resolve / Fulfil for the resolution. */
  action(target: 'response' | 'resolve', record: R, t: Translate): ChatButton;
  /** Where reminders go when nobody is assigned or on call. */
  channel(settings: SettingsService): Promise<ChatTarget | undefined>;
  /** The channel card again, to be edited in place (e.g. to show the breach). */
  refreshCard(record: R, ctx: CardContext): Promise<OutgoingMessage[]>;
}

export const FAULT_SUBJECT: SlaSubject<Fault> = {
  kind: 'fault',
  entity: Fault,
  formatId: formatFaultId,
  parseId: parseFaultId,
  facts: (fault) => ({
    createdAt: fault.createdAt,
    responseStartedAt: fault.responseStartedAt,
    respondedAt: fault.acknowledgedAt,
    resolutionStopped: fault.state === 'waiting_on_user' || fault.state === 'resolved' || fault.state === 'closed',
    finished: fault.state === 'closed',
  }),
  title: faultTitle,
  action: (target, fault, t) =>
    target === 'response'
      ? { actionId: 'fault.ack', value: formatFaultId(fault.id), label: t('faults.button.acknowledge'), style: 'primary' }
      : { actionId: 'fault.resolve', value: formatFaultId(fault.id), label: t('faults.button.resolve'), style: 'primary' },
  channel: (settings) => settings.channel('fault_channel'),
  async refreshCard(fault, ctx) {
    const channel = await ctx.settings.channel('fault_channel');
    if (!channel) return [];
    const acknowledgedBy = await acknowledgerOf(ctx.manager, fault.id);
    const { views } = await peopleViews(ctx.manager, [fault.reporterId, ...(fault.assigneeId === null ? [] : [fault.assigneeId]), ...(acknowledgedBy === null ? [] : [acknowledgedBy])]);
    const t = translator(ctx.defaultLocale);
    return [{ target: channel, key: announcementKey(fault.id), message: faultCard(fault, { t, platform: channel.platform, timeZone: ctx.timeZone, people: views, now: ctx.now, ci: await faultCiContext(ctx.manager, fault.id, ctx.now), acknowledgedBy }) }];
  },
};

export const REQUEST_SUBJECT: SlaSubject<ServiceRequest> = {
  kind: 'request',
  entity: ServiceRequest,
  formatId: formatRequestId,
  parseId: parseRequestId,
  facts: (request) => ({
    createdAt: request.createdAt,
    respondedAt: request.assignedAt,
    resolutionStopped: request.state === 'fulfilled' || request.state === 'closed',
    finished: request.state === 'closed',
  }),
  title: requestTitle,
  action: (target, request, t) =>
    target === 'response'
      ? { actionId: 'request.take', value: formatRequestId(request.id), label: t('requests.button.take'), style: 'primary' }
      : { actionId: 'request.fulfil', value: formatRequestId(request.id), label: t('requests.button.fulfil'), style: 'primary' },
  channel: (settings) => requestChannel(settings),
  async refreshCard(request, ctx) {
    const channel = await requestChannel(ctx.settings);
    if (!channel) return [];
    const ids = [request.requesterId, request.beneficiaryId, request.assigneeId].filter((v): v is number => v !== null);
    const { views } = await peopleViews(ctx.manager, ids);
    const t = translator(ctx.defaultLocale);
    return [
      {
        target: channel,
        key: requestAnnouncementKey(request.id),
        message: requestCard(request, { t, platform: channel.platform, timeZone: ctx.timeZone, people: views, now: ctx.now, ci: await recordCiSummary(ctx.manager, 'request', request.id) }),
      },
    ];
  },
};

/** The subject a record id belongs to, by its prefix: `INC-4` is a fault, `REQ-7` a service request. */
export function subjectOfId(
  text: string,
): { kind: 'fault'; subject: SlaSubject<Fault>; id: number } | { kind: 'request'; subject: SlaSubject<ServiceRequest>; id: number } | undefined {
  const fault = parseFaultId(text);
  if (fault !== undefined) return { kind: 'fault', subject: FAULT_SUBJECT, id: fault };
  const request = parseRequestId(text);
  if (request !== undefined) return { kind: 'request', subject: REQUEST_SUBJECT, id: request };
  return undefined;
}
