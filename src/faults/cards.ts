import { formatFaultId, isOpen, type FaultState, type Priority } from './rules.js';
import { formatTime, mention, type PersonView } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { CardColor, ChatButton, ChatMessage, Platform } from '../chat/model.js';
import type { Fault } from '../store/entities/index.js';
import { slaField } from '../sla/card-line.js';
import type { CiSummary, FaultCiContext } from '../cis/fault-context.js';

/** How a record card is shown: for which platform (mentions), in which language and time zone, as of when. */
export interface CardView {
  t: Translate;
  platform: Platform;
  timeZone: string;
  people: Map<number, PersonView>;
  /** The moment the card shows the SLA line for (default: the record's last change). */
  now?: Date;
  /** The configuration item the fault is on, with its possible causes (faults only). */
  ci?: FaultCiContext | undefined;
  /** Who acknowledged the fault, from its timeline (src/faults/acknowledger.ts); null or absent: nobody named. */
  acknowledgedBy?: number | null;
}

/** Priority colours of UX.md, shared by every record card that has a priority. */
export const PRIORITY_STYLE: Record<Priority, { emoji: string; color: CardColor }> = {
  P1: { emoji: '🔴', color: 'red' },
  P2: { emoji: '🟠', color: 'orange' },
  P3: { emoji: '🟡', color: 'yellow' },
  P4: { emoji: '⚪', color: 'grey' },
};

export function stateLabel(state: FaultState, t: Translate): string {
  return t(`faults.state.${state}`);
}

export function faultTitle(fault: Fault): string {
  const done = !isOpen(fault.state);
  const emoji = done ? '✅' : PRIORITY_STYLE[fault.priority].emoji;
  return `${emoji} ${formatFaultId(fault.id)} · ${fault.priority} · ${fault.title}`;
}

function buttonsFor(fault: Fault, t: Translate): ChatButton[] {
  const id = formatFaultId(fault.id);
  const button = (action: string, label: Parameters<Translate>[0], style?: ChatButton['style']): ChatButton => ({
    actionId: `fault.${action}`,
    value: id,
    label: t(label),
    ...(style ? { style } : {}),
  });
  switch (fault.state) {
    case 'reported':
      return [button('ack', 'faults.button.acknowledge', 'primary'), button('resolve', 'faults.button.resolve'), button('reassign', 'faults.button.reassign')];
    case 'acknowledged':
      return [
        button('start', 'faults.button.start', 'primary'),
        button('resolve', 'faults.button.resolve'),
        button('wait', 'faults.button.wait'),
        button('reassign', 'faults.button.reassign'),
      ];
    case 'in_progress':
      return [button('resolve', 'faults.button.resolve', 'primary'), button('wait', 'faults.button.wait'), button('reassign', 'faults.button.reassign')];
    case 'waiting_on_user':
      return [button('resume', 'faults.button.resume', 'primary'), button('resolve', 'faults.button.resolve'), button('reassign', 'faults.button.reassign')];
    case 'resolved':
    case 'closed':
      return [];
  }
}

/** A card field stays short (Slack: 2000 characters a field); the newest causes come first. */
const CAUSES_SHOWN = 5;

/** The "Configuration item" field of a record card: id, name, criticality, owner and runbook link. */
export function ciSummaryField(ci: CiSummary, view: Pick<CardView, 't' | 'platform'>): { label: string; value: string } {
  const { t } = view;
  const owner = ci.owner ? mention(ci.owner, view.platform) : t('faults.field.unassigned');
  return { label: t('faults.field.ci'), value: t('faults.ciDetail', { id: ci.label, name: ci.name, criticality: ci.criticality, owner, runbook: ci.runbookUrl ?? '—' }) };
}

function ciFields(ci: FaultCiContext, view: CardView): { label: string; value: string }[] {
  const { t } = view;
  const fields = [ciSummaryField(ci, view)];
  if (ci.causes.length > 0) {
    const lines = ci.causes.slice(0, CAUSES_SHOWN).map((c) => t('faults.possibleCause', { id: c.label, title: c.title, ci: c.ciName, state: t(`changes.state.${c.state}`) }));
    if (ci.causes.length > CAUSES_SHOWN) lines.push(t('cis.show.andMore', { n: ci.causes.length - CAUSES_SHOWN }));
    fields.push({ label: t('faults.field.possibleCauses'), value: lines.join('\n') });
  }
  return fields;
}

/** The fault card: posted once to the fault channel and edited in place on every change. */
export function faultCard(fault: Fault, view: CardView): ChatMessage {
  const { t, platform, timeZone, people } = view;
  const person = (id: number | null) => (id === null ? t('faults.field.unassigned') : mention(people.get(id), platform));
  const style = PRIORITY_STYLE[fault.priority];
  const fields = [
    { label: t('faults.field.status'), value: stateLabel(fault.state, t) },
    { label: t('faults.field.priority'), value: t('faults.priorityDetail', { priority: fault.priority, impact: fault.impact, urgency: fault.urgency }) },
    { label: t('faults.field.category'), value: t(`faults.category.${fault.category}`) },
    { label: t('faults.field.reporter'), value: person(fault.reporterId) },
    { label: t('faults.field.assignee'), value: person(fault.assigneeId) },
    { label: t('faults.field.affectedSystem'), value: fault.affectedSystem ?? '—' },
  ];
  if (view.ci) fields.push(...ciFields(view.ci, view));
  const sla = slaField({ sla: fault, responded: fault.acknowledgedAt !== null, done: !isOpen(fault.state), verb: 'resolve' }, view.now ?? fault.updatedAt, t, timeZone);
  if (sla) fields.push(sla);
  if (fault.rootCause) fields.push({ label: t('faults.field.rootCause'), value: fault.rootCause });
  if (fault.resolutionSteps) fields.push({ label: t('faults.field.resolutionSteps'), value: fault.resolutionSteps });

  const context = [t('faults.context.reported', { time: formatTime(fault.createdAt, timeZone), source: t(`faults.source.${fault.source === 'alert' ? 'alert' : 'chat'}`) })];
  // The acknowledger, not the assignee: after a reassignment they differ.
  const acknowledgedBy = view.acknowledgedBy ?? null;
  if (fault.acknowledgedAt && acknowledgedBy !== null) {
    context.push(t('faults.context.acknowledged', { person: person(acknowledgedBy), time: formatTime(fault.acknowledgedAt, timeZone) }));
  }
  if (fault.resolvedAt) context.push(t('faults.context.resolved', { time: formatTime(fault.resolvedAt, timeZone) }));

  return {
    fallback: `${formatFaultId(fault.id)} ${fault.priority} ${fault.title} (${stateLabel(fault.state, t)})`,
    title: faultTitle(fault),
    color: isOpen(fault.state) ? style.color : 'green',
    body: fault.description,
    fields,
    context,
    buttons: buttonsFor(fault, t),
  };
}
