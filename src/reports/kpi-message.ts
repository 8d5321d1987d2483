// The KPI message (`/ops kpi`) and its drill-down: the records behind each figure (records handled
// included), and a CSV with one row per record and figure and the figure's inputs (docs/kpis.md).
import { stringify } from 'csv-stringify/sync';
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatField, ChatMessage } from '../chat/model.js';
import { durationText } from './duration-text.js';
import type { DurationFigure, FigureName, FigureRow, KpiResult, RateFigure } from './kpis.js';
import type { Summary } from './stats.js';

/** Records listed per figure in the detail; the CSV has them all. */
const DETAIL_REFS = 15;

const pct = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
const dur = (ms: number | null, t: Translate) => (ms === null ? '—' : durationText(ms, t));

function summaryText(s: Summary, t: Translate): string {
  return t('reports.kpi.summary', { median: dur(s.median, t), mean: dur(s.mean, t), p90: dur(s.p90, t) });
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
    { label: t('reports.kpi.csat'), value: `${k.csat.average === null ? '—' : k.csat.average.toFixed(2)} · ${t('reports.kpi.csatHigh', { share: pct(k.csat.highShare) })} · ${t(countKey('reports.kpi.answers', k.csat.count), { count: k.csat.count })}${few(k.csat.tooFew, t)}` },
    { label: t('reports.kpi.reopen'), value: rateValue(k.reopen, t) },
    { label: t('reports.kpi.changeSuccess'), value: rateValue(k.changeSuccess, t) },
    { label: t('reports.kpi.changeCompliance'), value: rateValue(k.changeCompliance, t) },
    { label: t('reports.kpi.pages'), value: `${k.pages.count} · ${t('reports.kpi.toAck', { median: dur(k.pages.toAcknowledge.median, t) })}${few(k.pages.tooFew, t)}` },
  ];
}

/** Each figure's rows, in the order of docs/kpis.md (the detail's lines, the CSV's rows). */
const FIGURE_ROWS = (k: KpiResult): [FigureName, FigureRow[]][] => [
  ['handled', k.handled.rows],
  ['mtta', k.mtta.rows],
  ['mttr', k.mttr.rows],
  ['sla', k.sla.rows],
  ['csat', k.csat.rows],
  ['reopen', k.reopen.rows],
  ['changeSuccess', k.changeSuccess.rows],
  ['changeCompliance', k.changeCompliance.rows],
  ['pages', k.pages.rows],
];

/** The people credited in the rows behind the figures (for their names in the CSV). */
export function kpiPersonIds(k: KpiResult): number[] {
  return [...new Set(FIGURE_ROWS(k).flatMap(([, rows]) => rows.flatMap((r) => (r.personId === null ? [] : [r.personId]))))];
}

/** `/ops kpi`: the figures of `who` over `periodLabel`; with `detail`, the records behind each figure. */
export function kpiMessage(k: KpiResult, who: string, periodLabel: string, t: Translate, detail: boolean): ChatMessage {
  const title = t('reports.kpi.title', { who, period: periodLabel });
  const context = [t('reports.kpi.definitions')];
  if (k.partial) context.unshift(t('reports.kpi.partial'));
  if (k.autoResolved.length > 0) context.push(t(countKey('reports.kpi.autoResolved', k.autoResolved.length), { count: k.autoResolved.length }));
  const lines = detail
    ? FIGURE_ROWS(k).map(([name, rows]) => {
        const refs = [...new Set(rows.map((r) => r.ref))];
        const shown = refs.slice(0, DETAIL_REFS).join(', ') + (refs.length > DETAIL_REFS ? ` ${t('reports.audit.more', { count: refs.length - DETAIL_REFS })}` : '');
        return `${t(`reports.kpi.${name}`)}: ${shown || '—'}`;
      })
    : [];
  return { fallback: title, title, fields: kpiFields(k, t), ...(lines.length > 0 ? { body: lines.join('\n') } : {}), context };
}

/**
 * A cell of user text made inert for spreadsheets: a leading =, +, -, @, tab or carriage return would
 * be read as a formula (OWASP, CSV injection), so such a value gets a leading apostrophe.
 */
export function inertCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * One row per record and figure: figure, record, person id and name (`names`: person id → display
 * name), time (UTC ISO) and the figure's inputs as columns.
 */
export function kpiCsv(k: KpiResult, names: ReadonlyMap<number, string> = new Map()): string {
  const fixed = ['figure', 'record', 'person_id', 'person', 'at'];
  const rows = FIGURE_ROWS(k).flatMap(([figure, list]) =>
    list.map((r) => ({ figure, record: r.ref, person_id: r.personId ?? '', person: r.personId === null ? '' : inertCell(names.get(r.personId) ?? ''), at: r.at.toISOString(), ...r.inputs })),
  );
  const columns = [...fixed, ...new Set(rows.flatMap((r) => Object.keys(r)).filter((c) => !fixed.includes(c)))];
  // The only user text is the person's name, made inert above; the rest are ids, ISO times, numbers and codes.
  return stringify(rows, { header: true, columns, quoted_match: /[\r\n]/, cast: { boolean: (v) => (v ? 'true' : 'false'), date: (d) => d.toISOString() } });
}

/** A display name as part of a file name: letters and digits kept (any script), the rest `_`, at most 40. */
export function fileNamePart(name: string): string {
  const safe = name.normalize('NFC').replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  return safe === '' ? 'person' : safe;
}
