// The direct messages of the SLA machinery (UX.md "Direct messages"): reminders name the record, the
// deadline and the time left, with the action and Snooze buttons right there; the breach notice; and
// escalations that say who was reminded before and when.
import type { Step } from './clock.js';
import type { SlaTarget } from './evaluate.js';
import { formatDeadline, formatSpan } from './format.js';
import type { SlaRecord, SlaSubject } from './subjects.js';
import { mention, type PersonView } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatButton, ChatMessage, Platform } from '../chat/model.js';

export const SNOOZE_OPTIONS = [15, 60] as const;
export type SnoozeMinutes = (typeof SNOOZE_OPTIONS)[number];

export function snoozeActionId(minutes: SnoozeMinutes): string {
  return `sla.snooze${minutes}`;
}

export interface EarlierNotice {
  personId: number | null;
  sentAt: Date;
}

export interface NoticeInput<R extends SlaRecord> {
  subject: SlaSubject<R>;
  record: R;
  target: SlaTarget;
  step: Step;
  /** When the target is due. */
  dueAt: Date;
  now: Date;
  /** The step fell due while nobody could send it (downtime): say so. */
  late: boolean;
  /** Who is responsible (assignee or on-call primary), for escalations. */
  responsibleId: number | null;
  /** Reminders sent before, for escalations. */
  earlier: EarlierNotice[];
  t: Translate;
  platform: Platform;
  timeZone: string;
  people: Map<number, PersonView>;
  /** Sent to a channel because nobody is assigned or on call. */
  toChannel: boolean;
}

/** One SLA notice for one recipient. */
export function noticeMessage<R extends SlaRecord>(input: NoticeInput<R>): ChatMessage {
  const { subject, record, target, step, t, now, timeZone } = input;
  const id = subject.formatId(record.id);
  const due = formatDeadline(input.dueAt, now, timeZone);
  const what = t(`sla.target.${subject.kind}.${target}`);
  const who = (personId: number | null) => (personId === null ? t('oncall.nobody') : mention(input.people.get(personId), input.platform));
  let text: string;
  let icon: string;
  switch (step.kind) {
    case 'remind':
      icon = '⏰';
      text = t('sla.dm.remind', { id, priority: record.priority, what, due, left: formatSpan(input.dueAt.getTime() - now.getTime(), t), percent: Math.round(step.fraction * 100) });
      break;
    case 'breach':
      icon = '⚠️';
      text = t('sla.dm.breach', { id, priority: record.priority, what, due, late: formatSpan(now.getTime() - input.dueAt.getTime(), t) });
      break;
    case 'escalate': {
      icon = '🚨';
      const earlier = input.earlier.map((e) => t('sla.dm.earlierOne', { person: who(e.personId), time: formatDeadline(e.sentAt, now, timeZone) })).join(', ');
      text = t('sla.dm.escalate', {
        id,
        priority: record.priority,
        what,
        due,
        late: formatSpan(now.getTime() - input.dueAt.getTime(), t),
        responsible: who(input.responsibleId),
        earlier: earlier || t('sla.dm.nobodyReminded'),
        level: t(step.level === 1 ? 'oncall.level.secondary' : 'oncall.level.manager'),
      });
      break;
    }
  }
  const context: string[] = [];
  if (input.late) context.push(t('sla.dm.late', { time: formatDeadline(step.at ?? input.dueAt, now, timeZone) }));
  if (input.toChannel) context.push(t('sla.dm.nobodyOnCall'));
  const buttons: ChatButton[] = [subject.action(target, record, t)];
  if (step.kind === 'remind') {
    for (const minutes of SNOOZE_OPTIONS) buttons.push({ actionId: snoozeActionId(minutes), value: id, label: t(minutes === 15 ? 'sla.button.snooze15' : 'sla.button.snooze60') });
  }
  return {
    fallback: `${icon} ${text}`,
    title: subject.title(record),
    color: step.kind === 'remind' ? 'orange' : 'red',
    body: `${icon} ${text}`,
    ...(context.length > 0 ? { context } : {}),
    buttons,
  };
}
