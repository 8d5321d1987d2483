import { approvalButtons, changeButton, changeCard, changeTitle, channelButtons, implementationButtons, windowText, type ChangeSnapshot, type ChangeView } from './cards.js';
import { formatChangeId, formatFreeze, needsReview, type ChangeOutcome } from './rules.js';
import { formatTime, mention, type PersonView } from '../chat/format.js';
import { countKey, resolveLocale, translator, type Locale, type Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatMessage, ChatTarget, Platform } from '../chat/model.js';
import type { OutgoingMessage } from '../outbox/outbox.js';
import type { ChangeNotice, Person } from '../store/entities/index.js';

/** What happened to a change, as the requester is told. */
export type ChangeNews =
  | { kind: 'submitted' }
  | { kind: 'decision'; by: number }
  | { kind: 'approved'; by: number | null }
  | { kind: 'rejected'; by: number; reason: string }
  | { kind: 'rescheduled'; by: number }
  | { kind: 'started'; by: number }
  | { kind: 'ended'; by: number; outcome: ChangeOutcome }
  | { kind: 'reviewed'; by: number }
  | { kind: 'handedOver'; by: number; to: number }
  | { kind: 'refresh' };

export type NoticeKind = 'approval' | 'implement' | 'review';

export interface NotifyContext {
  timeZone: string;
  defaultLocale: Locale;
  channel: ChatTarget | undefined;
  views: Map<number, PersonView>;
  people: Map<number, Person>;
}

export function announcementKey(changeId: number): string {
  return `change:${changeId}:announcement`;
}

export function noticeKey(changeId: number, kind: NoticeKind, personId: number): string {
  return `change:${changeId}:${kind}:${personId}`;
}

export function reminderKey(changeId: number, personId: number, n: number): string {
  return `change:${changeId}:reminder:${personId}:${n}`;
}

/** A person's DM, on the requester's platform when they have an account there. */
function dmTarget(view: PersonView | undefined, preferred: string): ChatTarget | undefined {
  const account = view?.accounts.find((a) => a.platform === preferred) ?? view?.accounts[0];
  if (!account) return undefined;
  return { platform: account.platform as Platform, kind: 'dm', id: account.userId };
}

interface Reader {
  target: ChatTarget;
  t: Translate;
  view: ChangeView;
}

function readerOf(snapshot: ChangeSnapshot, personId: number, ctx: NotifyContext): Reader | undefined {
  const target = dmTarget(ctx.views.get(personId), snapshot.change.requesterPlatform);
  if (!target) return undefined;
  const t = translator(resolveLocale(ctx.people.get(personId)?.locale, ctx.defaultLocale));
  return { target, t, view: { t, platform: target.platform, timeZone: ctx.timeZone, people: ctx.views } };
}

/** An approver's copy of the request; `reminder` marks a reminder (the latest has the buttons). */
export function approvalCopy(snapshot: ChangeSnapshot, personId: number, reader: Reader, reminder?: { latest: boolean }): ChatMessage {
  const { change, decisions } = snapshot;
  const { t, view } = reader;
  const id = formatChangeId(change.id);
  const own = decisions.find((d) => d.approverId === personId);
  const waiting = change.state === 'submitted' && !own;
  const lead: string[] = [];
  if (own) {
    lead.push(t(own.decision === 'approved' ? 'changes.dm.youApproved' : 'changes.dm.youRejected', { id, time: formatTime(own.createdAt, view.timeZone) }));
  } else if (reminder && !reminder.latest) {
    lead.push(t('changes.dm.reminderSuperseded', { id }));
  } else if (reminder && waiting) {
    lead.push(t('changes.dm.reminder', { id, since: formatTime(change.createdAt, view.timeZone) }));
  } else if (waiting) {
    lead.push(t(change.type === 'emergency' ? 'changes.dm.approvalRequestedEmergency' : 'changes.dm.approvalRequested', { id }));
  }
  const buttons = waiting && (!reminder || reminder.latest) ? approvalButtons(change, t) : [];
  const card = changeCard(snapshot, view, buttons, lead);
  return { ...card, fallback: lead[0] ?? card.fallback };
}

/** The implementer's prompt: Start inside the window, then Completed / Rolled back / Failed. */
export function implementCopy(snapshot: ChangeSnapshot, personId: number, reader: Reader): ChatMessage {
  const { change } = snapshot;
  const { t, view } = reader;
  const id = formatChangeId(change.id);
  let lead: string;
  let buttons: ChatButton[] = [];
  if (change.implementerId !== personId) {
    lead = t('changes.dm.handedOverAway', { id, person: mention(view.people.get(change.implementerId), view.platform) });
  } else if (change.state === 'scheduled') {
    lead = t(change.type === 'emergency' ? 'changes.dm.implementEmergency' : 'changes.dm.implementNow', { id, window: windowText(change, view.timeZone) });
    buttons = implementationButtons(change, t);
  } else if (change.state === 'in_progress') {
    lead = t('changes.dm.implementRunning', { id });
    buttons = implementationButtons(change, t);
  } else {
    lead = t('changes.dm.implementDone', { id, state: t(`changes.state.${change.state}`) });
  }
  const card = changeCard(snapshot, view, buttons, [lead]);
  return { ...card, fallback: lead };
}

/** A manager's review task for an emergency change. */
export function reviewCopy(snapshot: ChangeSnapshot, reader: Reader): ChatMessage {
  const { change } = snapshot;
  const { t, view } = reader;
  const id = formatChangeId(change.id);
  const open = needsReview(change);
  const lead = open
    ? t('changes.dm.reviewRequested', { id, state: t(`changes.state.${change.state}`) })
    : t('changes.dm.reviewDone', { id, person: mention(change.reviewedBy === null ? undefined : view.people.get(change.reviewedBy), view.platform) });
  const buttons = open ? [changeButton('change.review', change.id, 'changes.button.review', t, 'primary'), changeButton('change.details', change.id, 'changes.button.details', t)] : [];
  const card = changeCard(snapshot, view, buttons, [lead]);
  return { ...card, fallback: lead };
}

/** Every keyed copy of the change (channel card and each person's DM), re-rendered for an edit in place. */
export function allCopies(snapshot: ChangeSnapshot, notices: readonly ChangeNotice[], ctx: NotifyContext): OutgoingMessage[] {
  const { change } = snapshot;
  const messages: OutgoingMessage[] = [];
  if (ctx.channel) {
    const t = translator(ctx.defaultLocale);
    const view: ChangeView = { t, platform: ctx.channel.platform, timeZone: ctx.timeZone, people: ctx.views };
    messages.push({ target: ctx.channel, key: announcementKey(change.id), message: changeCard(snapshot, view, channelButtons(change, t)) });
  }
  for (const notice of notices) messages.push(...noticeCopies(snapshot, notice, ctx));
  return messages;
}

/** One person's keyed copies: their request (and latest reminder), implementation prompt or review task. */
export function noticeCopies(snapshot: ChangeSnapshot, notice: ChangeNotice, ctx: NotifyContext): OutgoingMessage[] {
  const reader = readerOf(snapshot, notice.personId, ctx);
  if (!reader) return [];
  const id = snapshot.change.id;
  switch (notice.kind) {
    case 'approval': {
      const messages: OutgoingMessage[] = [
        { target: reader.target, key: noticeKey(id, 'approval', notice.personId), message: approvalCopy(snapshot, notice.personId, reader) },
      ];
      if (notice.reminders > 0) {
        messages.push({
          target: reader.target,
          key: reminderKey(id, notice.personId, notice.reminders),
          message: approvalCopy(snapshot, notice.personId, reader, { latest: true }),
        });
      }
      return messages;
    }
    case 'implement':
      return [{ target: reader.target, key: noticeKey(id, 'implement', notice.personId), message: implementCopy(snapshot, notice.personId, reader) }];
    case 'review':
      return [{ target: reader.target, key: noticeKey(id, 'review', notice.personId), message: reviewCopy(snapshot, reader) }];
    default:
      return [];
  }
}

/** A new reminder to one approver, and the previous reminder without its buttons. */
export function reminderMessages(snapshot: ChangeSnapshot, notice: ChangeNotice, ctx: NotifyContext): OutgoingMessage[] {
  const reader = readerOf(snapshot, notice.personId, ctx);
  if (!reader) return [];
  const id = snapshot.change.id;
  const messages: OutgoingMessage[] = [
    { target: reader.target, key: reminderKey(id, notice.personId, notice.reminders), message: approvalCopy(snapshot, notice.personId, reader, { latest: true }) },
  ];
  if (notice.reminders > 1) {
    messages.push({
      target: reader.target,
      key: reminderKey(id, notice.personId, notice.reminders - 1),
      message: approvalCopy(snapshot, notice.personId, reader, { latest: false }),
    });
  }
  return messages;
}

/** The requester's own news: a plain DM (posted once) about what happened. */
export function requesterNews(snapshot: ChangeSnapshot, news: ChangeNews, ctx: NotifyContext): OutgoingMessage[] {
  const { change } = snapshot;
  if ('by' in news && news.by === change.requesterId) return [];
  const reader = readerOf(snapshot, change.requesterId, ctx);
  if (!reader) return [];
  const { t, view } = reader;
  const id = formatChangeId(change.id);
  const by = (personId: number | null) => (personId === null ? t('changes.systemActor') : mention(view.people.get(personId), view.platform));
  const window = windowText(change, view.timeZone);
  let text: string;
  const buttons: ChatButton[] = [];
  switch (news.kind) {
    case 'submitted':
      if (change.type === 'standard') {
        text = change.state === 'scheduled' ? t('changes.dm.preApprovedScheduled', { id, window }) : t('changes.dm.preApprovedBlocked', { id, period: freezeText(snapshot) });
      } else {
        const needed = change.approvalsRequired;
        text = t(countKey(change.managerRequired === 1 ? 'changes.dm.submittedManager' : 'changes.dm.submitted', needed), { id, needed });
      }
      break;
    case 'approved':
      text = change.state === 'approved' ? t('changes.dm.approvedBlocked', { id, period: freezeText(snapshot) }) : t('changes.dm.approved', { id, window });
      break;
    case 'rejected':
      text = t('changes.dm.rejected', { id, person: by(news.by), reason: news.reason });
      break;
    case 'rescheduled':
      text = t('changes.dm.rescheduled', { id, person: by(news.by), window });
      break;
    case 'started':
      text = t('changes.dm.started', { id, person: by(news.by) });
      break;
    case 'ended':
      text = t('changes.dm.ended', { id, person: by(news.by), state: t(`changes.state.${news.outcome}`) });
      break;
    case 'reviewed':
      text = t('changes.dm.reviewed', { id, person: by(news.by) });
      break;
    case 'handedOver':
      text = t('changes.dm.handedOver', { id, person: by(news.by), to: by(news.to) });
      break;
    case 'decision':
    case 'refresh':
      return [];
  }
  if (change.state === 'approved' && (news.kind === 'approved' || news.kind === 'submitted')) {
    buttons.push(changeButton('change.reschedule', change.id, 'changes.button.reschedule', t, 'primary'));
  }
  buttons.push(changeButton('change.details', change.id, 'changes.button.details', t));
  return [{ target: reader.target, message: { fallback: text, title: changeTitle(change, t), body: text, buttons } }];
}

function freezeText(snapshot: ChangeSnapshot): string {
  return snapshot.freezes.map(formatFreeze).join(', ') || '—';
}
