import {
  approvalStatus,
  formatChangeId,
  formatFreeze,
  isEnded,
  needsReview,
  type ChangeState,
  type Decision,
  type FreezePeriod,
  type WindowConflict,
} from './rules.js';
import { formatTime, mention, truncate, type PersonView } from '../chat/format.js';
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { CardColor, ChatButton, ChatField, ChatMessage, Platform } from '../chat/model.js';
import type { Change, ChangeApproval } from '../store/entities/index.js';

/** A change with everything its card shows: the decisions so far and what its window runs into. */
export interface ChangeSnapshot {
  change: Change;
  decisions: ChangeApproval[];
  /** Approved changes whose windows overlap this one on a shared configuration item. */
  conflicts: WindowConflict[];
  /** Change freezes the window falls into. */
  freezes: FreezePeriod[];
}

/** How a card is shown: for which platform (mentions), in which language and time zone. */
export interface ChangeView {
  t: Translate;
  platform: Platform;
  timeZone: string;
  people: Map<number, PersonView>;
}

const STATE_EMOJI: Record<ChangeState, string> = {
  draft: '📝',
  submitted: '⏳',
  approved: '👍',
  rejected: '⛔',
  scheduled: '📅',
  in_progress: '🔧',
  completed: '✅',
  rolled_back: '↩️',
  failed: '❌',
  reviewed: '✅',
};

const FIELD_TEXT = 900;

export function stateLabel(state: ChangeState, t: Translate): string {
  return t(`changes.state.${state}`);
}

export function changeTitle(change: Change, t: Translate): string {
  return `${STATE_EMOJI[change.state]} ${formatChangeId(change.id)} · ${t(`changes.risk.${change.risk}`)} · ${change.title}`;
}

function colorOf(change: Change): CardColor {
  switch (change.state) {
    case 'completed':
    case 'reviewed':
      return 'green';
    case 'failed':
      return 'red';
    case 'rolled_back':
      return 'orange';
    case 'rejected':
      return 'grey';
    default:
      return change.risk === 'high' ? 'red' : change.risk === 'medium' ? 'yellow' : 'blue';
  }
}

/** `2026-11-25 22:00 – 23:30 (Europe/Berlin)`; the end repeats the date when it is another day. */
export function windowText(change: Pick<Change, 'windowStart' | 'windowEnd'>, timeZone: string): string {
  const start = formatTime(change.windowStart, timeZone);
  const end = formatTime(change.windowEnd, timeZone);
  const shownEnd = end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end;
  return `${start} – ${shownEnd} (${timeZone})`;
}

export function decisionsOf(approvals: readonly ChangeApproval[]): Decision[] {
  return approvals.map((a) => ({ approverId: a.approverId, decision: a.decision, asManager: a.asManager === 1 }));
}

/** "1 of 2 approvals: approved by X", or the outcome once decided. */
export function approvalSummary(snapshot: ChangeSnapshot, view: ChangeView): string {
  const { change, decisions } = snapshot;
  const { t } = view;
  const who = (list: readonly ChangeApproval[]) => list.map((a) => mention(view.people.get(a.approverId), view.platform)).join(', ');
  if (change.type === 'standard') return t('changes.approvals.preApproved');
  const approved = decisions.filter((d) => d.decision === 'approved');
  const rejected = decisions.filter((d) => d.decision === 'rejected');
  if (rejected.length > 0) return t('changes.approvals.rejected', { people: who(rejected) });
  const status = approvalStatus({ approvals: change.approvalsRequired, managerRequired: change.managerRequired === 1 }, decisionsOf(decisions));
  if (change.state !== 'submitted' || status.outcome === 'approved') {
    return t('changes.approvals.approved', { count: approved.length, people: who(approved) || '—' });
  }
  const needed = status.outcome === 'pending' ? status.needed : change.approvalsRequired;
  let text =
    approved.length === 0
      ? t(countKey('changes.approvals.none', needed), { needed })
      : t(countKey('changes.approvals.progress', needed), { count: approved.length, needed, people: who(approved) });
  if (change.managerRequired === 1 && status.outcome === 'pending' && status.managerMissing) text += ` ${t('changes.approvals.managerNeeded')}`;
  return text;
}

/** The warnings approvers must see before deciding: overlapping approved windows and freezes. */
export function warningLines(snapshot: ChangeSnapshot, view: ChangeView): string[] {
  const { change } = snapshot;
  if (isEnded(change.state) || change.state === 'rejected' || change.state === 'in_progress') return [];
  const lines = snapshot.conflicts.map(({ other, items }) =>
    view.t('changes.warning.conflict', {
      id: formatChangeId(other.id),
      items: items.join(', '),
      window: windowText({ windowStart: other.window.start, windowEnd: other.window.end }, view.timeZone),
    }),
  );
  for (const freeze of snapshot.freezes) {
    lines.push(view.t(change.type === 'emergency' ? 'changes.warning.freezeEmergency' : 'changes.warning.freeze', { period: formatFreeze(freeze) }));
  }
  return lines;
}

function decisionLines(snapshot: ChangeSnapshot, view: ChangeView): string[] {
  return snapshot.decisions.map((d) => {
    const params = {
      person: mention(view.people.get(d.approverId), view.platform),
      time: formatTime(d.createdAt, view.timeZone),
      comment: d.comment ? `: ${truncate(d.comment, 300)}` : '',
    };
    return view.t(d.decision === 'approved' ? 'changes.context.approvedBy' : 'changes.context.rejectedBy', params);
  });
}

function progressLines(change: Change, view: ChangeView): string[] {
  const { t, timeZone } = view;
  const person = (id: number | null) => (id === null ? '—' : mention(view.people.get(id), view.platform));
  const lines = [t('changes.context.requested', { person: person(change.requesterId), time: formatTime(change.createdAt, timeZone) })];
  if (change.state === 'approved') lines.push(t('changes.context.notScheduled'));
  if (change.startedAt) lines.push(t('changes.context.started', { time: formatTime(change.startedAt, timeZone) }));
  if (change.endedAt && isEnded(change.state)) {
    lines.push(t('changes.context.ended', { state: stateLabel(change.state === 'reviewed' ? 'completed' : change.state, t), time: formatTime(change.endedAt, timeZone) }));
  }
  if (needsReview(change)) lines.push(t('changes.context.reviewPending'));
  if (change.reviewedAt) lines.push(t('changes.context.reviewed', { person: person(change.reviewedBy), time: formatTime(change.reviewedAt, timeZone) }));
  return lines;
}

/** The change card: the same everywhere (channel, approvers' and implementer's DMs), with the buttons the reader may use. */
export function changeCard(snapshot: ChangeSnapshot, view: ChangeView, buttons: ChatButton[] = [], lead: string[] = []): ChatMessage {
  const { change } = snapshot;
  const { t } = view;
  const person = (id: number) => mention(view.people.get(id), view.platform);
  const text = (value: string | null) => (value ? truncate(value, FIELD_TEXT) : '—');
  const fields: ChatField[] = [
    { label: t('changes.field.status'), value: stateLabel(change.state, t) },
    { label: t('changes.field.type'), value: t(`changes.type.${change.type}`) },
    { label: t('changes.field.window'), value: windowText(change, view.timeZone) },
    { label: t('changes.field.configItems'), value: text(change.configItems) },
    { label: t('changes.field.requester'), value: person(change.requesterId) },
    { label: t('changes.field.implementer'), value: person(change.implementerId) },
    { label: t('changes.field.approvals'), value: approvalSummary(snapshot, view) },
    { label: t('changes.field.reason'), value: text(change.reason) },
    { label: t('changes.field.expectedImpact'), value: text(change.expectedImpact) },
    { label: t('changes.field.testPlan'), value: text(change.testPlan) },
    { label: t('changes.field.rollbackPlan'), value: text(change.rollbackPlan) },
  ];
  if (change.outcomeNote) fields.push({ label: t('changes.field.outcomeNote'), value: text(change.outcomeNote) });
  if (change.reviewNote) fields.push({ label: t('changes.field.reviewNote'), value: text(change.reviewNote) });
  const title = changeTitle(change, t);
  return {
    fallback: `${formatChangeId(change.id)} ${change.title} (${stateLabel(change.state, t)})`,
    title,
    color: colorOf(change),
    body: change.content,
    fields,
    context: [...lead, ...warningLines(snapshot, view), ...decisionLines(snapshot, view), ...progressLines(change, view)],
    buttons,
  };
}

type ButtonLabel = Parameters<Translate>[0];

export function changeButton(actionId: string, id: number, label: ButtonLabel, t: Translate, style?: ChatButton['style']): ChatButton {
  return { actionId, value: formatChangeId(id), label: t(label), ...(style ? { style } : {}) };
}

/** What an approver can do while the change waits for decisions. */
export function approvalButtons(change: Change, t: Translate): ChatButton[] {
  return [
    changeButton('change.approve', change.id, 'changes.button.approve', t, 'primary'),
    changeButton('change.approveWithComment', change.id, 'changes.button.approveWithComment', t),
    changeButton('change.reject', change.id, 'changes.button.reject', t, 'danger'),
    changeButton('change.details', change.id, 'changes.button.details', t),
  ];
}

/** What the implementer can do: start inside the window, then record how it ended. */
export function implementationButtons(change: Change, t: Translate): ChatButton[] {
  switch (change.state) {
    case 'scheduled':
      return [
        changeButton('change.start', change.id, 'changes.button.start', t, 'primary'),
        changeButton('change.handOver', change.id, 'changes.button.handOver', t),
        changeButton('change.details', change.id, 'changes.button.details', t),
      ];
    case 'in_progress':
      return [
        changeButton('change.complete', change.id, 'changes.button.complete', t, 'primary'),
        changeButton('change.rollBack', change.id, 'changes.button.rollBack', t),
        changeButton('change.fail', change.id, 'changes.button.fail', t, 'danger'),
        changeButton('change.handOver', change.id, 'changes.button.handOver', t),
      ];
    default:
      return [];
  }
}

/** Buttons on the channel card: decisions while it waits, the review task of an emergency change. */
export function channelButtons(change: Change, t: Translate): ChatButton[] {
  if (change.state === 'submitted') return approvalButtons(change, t);
  if (needsReview(change)) {
    return [changeButton('change.review', change.id, 'changes.button.review', t, 'primary'), changeButton('change.details', change.id, 'changes.button.details', t)];
  }
  return [];
}
