// The weekly and monthly operations report (policy 3.4, issue #13): volumes by kind, priority and
// category, MTTA/MTTR, SLA compliance with the breaches, changes by outcome and compliance, top
// configuration items by faults, alerts, CSAT with the lowest-rated comments, each against the
// previous period, and the chart data. Pure: plain inputs in, a message and chart data out.
import { catalogs, countKey, type MessageKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatField, ChatMessage } from '../chat/model.js';
import { PRIORITIES } from '../faults/rules.js';
import type { Calendar } from '../sla/calendar.js';
import { durationText } from './duration-text.js';
import { alertsField, type AlertsInput } from './alerts-section.js';
import type { ChartData } from './chart.js';
import { delta } from './delta.js';
import { changeFacts } from './facts.js';
import { auditFindings } from './findings.js';
import { inPeriod, type ChangeRecord, type Period, type ServiceRecord, type SurveyAnswer } from './inputs.js';
import { computeKpis, type KpiResult } from './kpis.js';
import type { TrendCounts } from './load-trend.js';
import type { TrendWeek } from './trend-weeks.js';

export const REPORT_KINDS = ['weekly', 'monthly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const TOP_ITEMS = 5;
const LOWEST_SHOWN = 3;
/** Answers rated this or lower are feedback highlights worth a manager's reading (docs/kpis.md). */
export const LOW_RATING = 2;
const BREACHES_SHOWN = 10;

export interface OperationsInput {
  /** Records of the period and of the previous period (loadServiceRecords over both). */
  records: readonly ServiceRecord[];
  /** The trend chart's weeks (trend-weeks.ts trendWeeks of the report's kind and period). */
  trendWeeks: readonly TrendWeek[];
  /** Opened and resolved per week of trendWeeks, in the same order (loadTrend). */
  trend: TrendCounts;
  changes: readonly ChangeRecord[];
  surveys: readonly SurveyAnswer[];
  /** Alert figures of the period and the previous one (alertFiguresBetween); no section without. */
  alerts?: AlertsInput;
}

export interface OperationsReport {
  message: ChatMessage;
  chart: ChartData;
}

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
const dur = (v: number | null, t: Translate) => (v === null ? '—' : durationText(v, t));

function counts<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + 1);
  return map;
}

function line(map: Map<string, number>): string {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(' · ') || '—';
}

/** The chart's weeks: each of `weeks` with its label and the counts of load-trend.ts. */
export function weeklyTrend(counts: TrendCounts, weeks: readonly TrendWeek[]): ChartData['weeks'] {
  return weeks.map((week, i) => ({ label: week.label, opened: counts.opened[i] ?? 0, resolved: counts.resolved[i] ?? 0 }));
}

export interface OperationsOptions {
  kind: ReportKind;
  period: Period;
  periodLabel: string;
  previous: Period;
  business: Calendar;
  now: Date;
}

/** A fault category or request type in the reader's language (the catalogs' names of the codes). */
function categoryLabel(record: ServiceRecord, t: Translate): string {
  const key = record.kind === 'fault' ? `faults.category.${record.category}` : `requests.type.${record.category}`;
  // A code the catalogs do not name (an older or newer value) is shown as it is stored.
  return key in catalogs.en ? t(key as MessageKey) : record.category;
}

/** Assembles the report; every figure is the team KPI of docs/kpis.md. */
export function operationsReport(input: OperationsInput, options: OperationsOptions, t: Translate): OperationsReport {
  const { period, previous } = options;
  const kpi = (p: Period): KpiResult => computeKpis({ ...input, pages: [] }, { period: p, personId: null, business: options.business, now: options.now });
  const current = kpi(period);
  const before = kpi(previous);
  const opened = input.records.filter((r) => inPeriod(r.createdAt, period));
  const openedBefore = input.records.filter((r) => inPeriod(r.createdAt, previous)).length;
  // Volumes by kind count the change requests filed too; priority and category are faults' and requests'.
  const changesOpened = input.changes.filter((c) => inPeriod(c.createdAt, period)).length;
  const changesOpenedBefore = input.changes.filter((c) => inPeriod(c.createdAt, previous)).length;
  const byKind = counts(opened, (r) => t(`reports.ops.kind.${r.kind}`));
  if (changesOpened > 0) byKind.set(t('reports.ops.kind.change'), changesOpened);
  const total = opened.length + changesOpened;
  const faults = opened.filter((r) => r.kind === 'fault');
  const items = counts(faults.flatMap((f) => f.configItems.map((ci) => ({ ci }))), (x) => x.ci);
  const topItems = new Map([...items.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_ITEMS));
  const ended = input.changes.flatMap((c) => {
    const end = changeFacts(c).end;
    return end && inPeriod(end.at, period) ? [end.outcome] : [];
  });
  const asOf = options.now.getTime() < period.to.getTime() ? options.now : period.to;
  // One line per record: a record can both have missed its response and be overdue.
  const breaches = [...new Set(auditFindings({ records: input.records, changes: [], roleChanges: [] }, period, asOf).filter((f) => f.kind === 'sla_breach' || f.kind === 'overdue').map((f) => f.ref))];
  const lowest = input.surveys
    .filter((s) => inPeriod(s.ratedAt, period) && s.comment && s.rating <= LOW_RATING)
    .sort((a, b) => a.rating - b.rating)
    .slice(0, LOWEST_SHOWN);

  const fields: ChatField[] = [
    { label: t('reports.ops.opened'), value: `${total} (${delta(total, openedBefore + changesOpenedBefore)})\n${line(byKind)}\n${line(counts(opened, (r) => r.priority))}\n${line(counts(opened, (r) => categoryLabel(r, t)))}` },
    { label: t('reports.kpi.mtta'), value: `${dur(current.mtta.business.median, t)} (${delta(current.mtta.business.median, before.mtta.business.median)}) · ${t('reports.kpi.business')}\n${dur(current.mtta.wall.median, t)} (${delta(current.mtta.wall.median, before.mtta.wall.median)}) · ${t('reports.kpi.wall')}` },
    { label: t('reports.kpi.mttr'), value: `${dur(current.mttr.business.median, t)} (${delta(current.mttr.business.median, before.mttr.business.median)}) · ${t('reports.kpi.business')}\n${dur(current.mttr.wall.median, t)} (${delta(current.mttr.wall.median, before.mttr.wall.median)}) · ${t('reports.kpi.wall')}` },
    { label: t('reports.kpi.sla'), value: `${pct(current.sla.value)} (${delta(current.sla.value, before.sla.value)})` },
    { label: t('reports.ops.changes'), value: `${line(counts(ended, (o) => t(`changes.state.${o}`)))}\n${t('reports.kpi.changeCompliance')}: ${pct(current.changeCompliance.value)} (${delta(current.changeCompliance.value, before.changeCompliance.value)})` },
    { label: t('reports.ops.topItems'), value: line(topItems) },
    ...(input.alerts ? [alertsField(input.alerts, t)] : []),
    { label: t('reports.kpi.csat'), value: `${current.csat.average === null ? '—' : current.csat.average.toFixed(2)} (${delta(current.csat.average, before.csat.average)}) · ${t(countKey('reports.kpi.answers', current.csat.count), { count: current.csat.count })}` },
  ];
  const body = [
    t('reports.ops.breaches', { count: breaches.length }),
    ...breaches.slice(0, BREACHES_SHOWN).map((ref) => `• ${ref}`),
    ...(lowest.length > 0 ? [t('reports.ops.lowest'), ...lowest.map((s) => `• ${s.recordRef} ${s.rating}/5: ${(s.comment ?? '').slice(0, 200)}`)] : [t('reports.ops.noLowRated', { max: LOW_RATING })]),
  ].join('\n');
  const title = t(options.kind === 'weekly' ? 'reports.ops.weeklyTitle' : 'reports.ops.monthlyTitle', { period: options.periodLabel });
  const context = [t('reports.kpi.definitions')];
  if (current.partial) context.unshift(t('reports.kpi.partial'));
  const priorities = PRIORITIES.map((priority) => {
    const rows = current.sla.rows.filter((r) => r.inputs.priority === priority);
    const ok = rows.filter((r) => r.inputs.responseBreachedAt === null && r.inputs.resolveBreachedAt === null).length;
    return { priority, resolved: rows.length, compliance: rows.length === 0 ? null : ok / rows.length };
  });
  return {
    message: { fallback: title, title, color: 'blue', fields, body, context },
    chart: { period: options.periodLabel, weeks: weeklyTrend(input.trend, input.trendWeeks), priorities },
  };
}
