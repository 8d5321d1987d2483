// The SLA line on record cards (UX.md): `Respond by 10:15 (in 12 min)`, `Resolve by 14:00`,
// `⚠ response overdue by 5 min`, or that the clock is paused while waiting on the user.
import { formatDeadline, formatSpan } from './format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatField } from '../chat/model.js';
import type { SlaTracked } from '../store/entities/sla-tracked.js';

export interface SlaLineInput {
  sla: Pick<SlaTracked, 'responseDueAt' | 'resolveDueAt' | 'responseBreachedAt' | 'resolveBreachedAt' | 'slaStoppedSince'>;
  /** Acknowledged (fault) or taken (request). */
  responded: boolean;
  /** Resolved, fulfilled or closed. */
  done: boolean;
  /** The verb of the resolution target: `resolve` for faults, `fulfil` for requests. */
  verb: 'resolve' | 'fulfil';
}

/** The card field with the SLA state as of `now`; undefined for records without SLA data. */
export function slaField(input: SlaLineInput, now: Date, t: Translate, timeZone: string): ChatField | undefined {
  const { sla } = input;
  if (sla.responseDueAt === null) return undefined;
  const label = t('sla.field');
  if (input.done) {
    const missed = [sla.responseBreachedAt ? t('sla.line.target.response') : null, sla.resolveBreachedAt ? t(`sla.line.target.${input.verb}`) : null].filter(
      (v): v is string => v !== null,
    );
    return { label, value: missed.length === 0 ? t('sla.line.met') : t('sla.line.missed', { targets: missed.join(', ') }) };
  }
  const lines: string[] = [];
  const deadline = (kind: 'respond' | 'resolve' | 'fulfil', due: Date) => {
    const left = due.getTime() - now.getTime();
    const when = formatDeadline(due, now, timeZone);
    return left > 0 ? t(`sla.line.${kind}By`, { time: when, left: formatSpan(left, t) }) : t(`sla.line.${kind}Overdue`, { late: formatSpan(-left, t), time: when });
  };
  if (!input.responded) lines.push(deadline('respond', sla.responseDueAt));
  if (sla.slaStoppedSince !== null && !sla.resolveBreachedAt) lines.push(t('sla.line.paused'));
  else if (sla.resolveDueAt) lines.push(deadline(input.verb, sla.resolveDueAt));
  return lines.length > 0 ? { label, value: lines.join('\n') } : undefined;
}
