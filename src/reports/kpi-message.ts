// The KPI message (`/ops kpi`) and its drill-down: the records behind each figure, and a CSV with one
// row per record and figure and the figure's inputs (docs/kpis.md).
import { stringify } from 'csv-stringify/sync';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatField, ChatMessage } from '../chat/model.js';
import { formatDuration } from '../sla/durations.js';
import type { DurationFigure, FigureRow, KpiResult, RateFigure } from './kpis.js';
import type { Summary } from './stats.js';

/** Records listed per figure in the detail; the CSV has them all. */
const DETAIL_REFS = 15;

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));

function summaryText(s: Summary, t: Translate): string {
  return t('reports.kpi.summary', { median: dur(s.median), mean: dur(s.mean), p90: dur(s.p90) });
}

function few(tooFew: boolean, t: Translate): string {
  return tooFew ? ` · ${t('reports.kpi.tooFew')}` : '';
}

function durationValue(f: DurationFigure, t: Translate): string {
  return `${t('reports.kpi.wall')}: ${summaryText(f.wall, t)}\n${t('reports.kpi.business')}: ${summaryText(f.business, t)}\nn=${f.wall.count}${few(f.tooFew, t)}`;
}

function rateValue(f: RateFigure, t: Translate): string {
  return `${pct(f.value)} (${f.numerator}/${f.denominator})${few(f.tooFew, t)}`;
}

/** The figures as message fields, in the order of docs/kpis.md. */
export function kpiFields(k: KpiResult, t: Translate): ChatField[] {
  return [
    { label: t('reports.kpi.handled'), value: String(k.handled.count) },
    { label: t('reports.kpi.mtta'), value: durationValue(k.mtta, t) },
    { label: t('reports.kpi.mttr'), value: durationValue(k.mttr, t) },
    { label: t('reports.kpi.sla'), value: rateValue(k.sla, t) },
    { label: t('reports.kpi.csat'), value: `${k.csat.average === null ? '—' : k.csat.average.toFixed(2)} · ${t('reports.kpi.csatHigh', { share: pct(k.csat.highShare) })} · ${t('reports.kpi.answers', { count: k.csat.count })}${few(k.csat.tooFew, t)}` },
    { label: t('reports.kpi.reopen'), value: rateValue(k.reopen, t) },
    { label: t('reports.kpi.changeSuccess'), value: rateValue(k.changeSuccess, t) },
    { label: t('reports.kpi.changeCompliance'), value: rateValue(k.changeCompliance, t) },
    { label: t('reports.kpi.pages'), value: `${k.pages.count} · ${t('reports.kpi.toAck', { median: dur(k.pages.toAcknowledge.median) })}${few(k.pages.tooFew, t)}` },
  ];
}

const FIGURE_ROWS = (k: KpiResult): [string, FigureRow[]][] => [
  ['mtta', k.mtta.rows],
  ['mttr', k.mttr.rows],
  ['sla', k.sla.rows],
  ['csat', k.csat.rows],
  ['reopen', k.reopen.rows],
  ['changeSuccess', k.changeSuccess.rows],
  ['changeCompliance', k.changeCompliance.rows],
  ['pages', k.pages.rows],
];

/** `/ops kpi`: the figures of `who` over `periodLabel`; with `detail`, the records behind each figure. */
export function kpiMessage(k: KpiResult, who: string, periodLabel: string, t: Translate, detail: boolean): ChatMessage {
  const title = t('reports.kpi.title', { who, period: periodLabel });
  const context = [t('reports.kpi.definitions')];
  if (k.partial) context.unshift(t('reports.kpi.partial'));
  if (k.autoResolved.length > 0) context.push(t('reports.kpi.autoResolved', { count: k.autoResolved.length }));
  const lines = detail
    ? FIGURE_ROWS(k).map(([name, rows]) => {
        const refs = [...new Set(rows.map((r) => r.ref))];
        const shown = refs.slice(0, DETAIL_REFS).join(', ') + (refs.length > DETAIL_REFS ? ` ${t('reports.audit.more', { count: refs.length - DETAIL_REFS })}` : '');
        return `${t(`reports.kpi.${name}` as 'reports.kpi.mtta')}: ${shown || '—'}`;
      })
    : [];
  return { fallback: title, title, fields: kpiFields(k, t), ...(lines.length > 0 ? { body: lines.join('\n') } : {}), context };
}

/** One row per record and figure: figure, record, person id, time (UTC ISO) and the figure's inputs as columns. */
export function kpiCsv(k: KpiResult): string {
  const rows = FIGURE_ROWS(k).flatMap(([figure, list]) => list.map((r) => ({ figure, record: r.ref, person_id: r.personId ?? '', at: r.at.toISOString(), ...r.inputs })));
  const columns = ['figure', 'record', 'person_id', 'at', ...new Set(rows.flatMap((r) => Object.keys(r)).filter((c) => !['figure', 'record', 'person_id', 'at'].includes(c)))];
  // Every cell is an id, an ISO time, a number or a code, never user text: nothing a spreadsheet could run as a formula.
  return stringify(rows, { header: true, columns, quoted_match: /[\r\n]/, cast: { boolean: (v) => (v ? 'true' : 'false'), date: (d) => d.toISOString() } });
}
