// `/ops report alerts [period]` (issue #11 item 9, policy 4.4: monitoring data is analysed
// regularly): volume by source, alert name and configuration item, the noisiest alerts, time from
// alert to acknowledgement, and faults whose alerts cleared before anyone acted. The period is read as
// for the other reports (src/reports/period.ts: calendar weeks and months in TZ_NAME).
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { truncate } from '../chat/format.js';
import { formatSpan } from '../sla/format.js';
import { countKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage } from '../chat/model.js';
import type { Actor } from '../people/actor.js';
import { requireRole } from '../people/roles.js';
import type { NamedPeriod } from '../reports/period.js';
import type { Store } from '../store/store.js';
import { Alert, AlertGroup, Fault } from '../store/entities/index.js';

/** The period `/ops report alerts` covers when none is given: the last whole week, as `/ops report weekly`. */
export const DEFAULT_ALERT_PERIOD = 'last-week';
const TOP = 5;

export interface CountRow {
  name: string;
  count: number;
}

export interface AlertReport {
  /** The period's label in TZ_NAME, first and last day included (`2026-11-16 – 2026-11-22`). */
  period: string;
  /** Distinct alerts (by fault and fingerprint) first seen in the period. */
  alerts: number;
  /** Times those alerts began to fire. */
  firings: number;
  faults: number;
  bySource: CountRow[];
  byName: CountRow[];
  byItem: CountRow[];
  /** Alerts by how often they fired again: candidates for tuning. */
  noisiest: CountRow[];
  /** Median ms from the fault's opening to a person's acknowledgement; null when none was acknowledged. */
  ackMedianMs: number | null;
  acknowledged: number;
  /** Faults whose alerts all cleared before anyone acknowledged them. */
  clearedUnattended: number;
}

/** [since, until) as ISO text. */
interface Range {
  since: string;
  until: string;
}

function inRange<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, column: string, range: Range): SelectQueryBuilder<T> {
  return query.where(`${column} >= :since`, { since: range.since }).andWhere(`${column} < :until`, { until: range.until });
}

async function top(manager: EntityManager, range: Range, column: string, measure: string): Promise<CountRow[]> {
  const rows: { name: string | null; n: string | number }[] = await inRange(manager.createQueryBuilder(Alert, 'a').select(`a.${column}`, 'name').addSelect(measure, 'n'), 'a.first_seen_at', range)
    .andWhere(`a.${column} IS NOT NULL`)
    .groupBy(`a.${column}`)
    .orderBy('n', 'DESC')
    .addOrderBy('name', 'ASC')
    .limit(TOP)
    .getRawMany();
  return rows.map((r) => ({ name: r.name ?? '—', count: Number(r.n) }));
}

/** Reads the report of the alerts first seen in `period` ([from, to), UTC instants of TZ_NAME bounds). */
export async function alertReport(manager: EntityManager, period: NamedPeriod): Promise<AlertReport> {
  return { period: period.label, ...(await alertFiguresBetween(manager, period.from, period.to)) };
}

/**
 * The figures of the alerts first seen in [from, to) (UTC instants), e.g. for the operations
 * report's alerts section and its previous period (issue #13 item 2).
 */
export async function alertFiguresBetween(manager: EntityManager, from: Date, to: Date): Promise<AlertFigures> {
  return alertFigures(manager, { since: from.toISOString(), until: to.toISOString() });
}

export type AlertFigures = Omit<AlertReport, 'period'>;

async function alertFigures(manager: EntityManager, range: Range): Promise<AlertFigures> {
  const totals: { alerts: string | number; firings: string | number | null } | undefined = await inRange(
    manager.createQueryBuilder(Alert, 'a').select('COUNT(*)', 'alerts').addSelect('SUM(a.fire_count)', 'firings'),
    'a.first_seen_at',
    range,
  ).getRawOne();
  const groups = await inRange(manager.createQueryBuilder(AlertGroup, 'g').innerJoinAndMapOne('g.fault', Fault, 'f', 'f.id = g.fault_id'), 'g.created_at', range).getMany();
  const ackTimes: number[] = [];
  let clearedUnattended = 0;
  for (const g of groups) {
    const f = g.fault;
    if (!f) continue;
    const cleared = g.clearedAt?.getTime();
    const acked = f.acknowledgedAt?.getTime();
    // A fault resolved by opsdesk has an acknowledgement time but nobody assigned: nobody acted.
    const personAcked = acked !== undefined && f.assigneeId !== null && (cleared === undefined || acked < cleared);
    if (personAcked) ackTimes.push(Math.max(0, acked - f.createdAt.getTime()));
    else if (cleared !== undefined) clearedUnattended++;
  }
  ackTimes.sort((a, b) => a - b);
  const mid = Math.floor(ackTimes.length / 2);
  const median = ackTimes.length === 0 ? null : ackTimes.length % 2 ? (ackTimes[mid] ?? 0) : ((ackTimes[mid - 1] ?? 0) + (ackTimes[mid] ?? 0)) / 2;
  return {
    alerts: Number(totals?.alerts ?? 0),
    firings: Number(totals?.firings ?? 0),
    faults: groups.length,
    bySource: await top(manager, range, 'source', 'COUNT(*)'),
    byName: await top(manager, range, 'name', 'COUNT(*)'),
    byItem: await top(manager, range, 'configuration_item', 'COUNT(*)'),
    noisiest: await top(manager, range, 'name', 'SUM(a.fire_count)'),
    ackMedianMs: median,
    acknowledged: ackTimes.length,
    clearedUnattended,
  };
}

/** The report as a private message. */
export function alertReportMessage(report: AlertReport, t: Translate): ChatMessage {
  const title = t('monitoring.report.title', { period: report.period });
  if (report.alerts === 0 && report.faults === 0) {
    const text = t('monitoring.report.empty', { period: report.period });
    return { fallback: text, title, body: text };
  }
  const list = (rows: CountRow[]) => rows.map((r) => t('monitoring.report.row', { name: truncate(r.name, 80), count: r.count })).join('\n') || '—';
  const body = [
    t('monitoring.report.volume', { alerts: report.alerts, firings: report.firings, faults: report.faults }),
    report.ackMedianMs === null
      ? t('monitoring.report.ackNone')
      : t(countKey('monitoring.report.ack', report.faults), { median: formatSpan(report.ackMedianMs, t), acknowledged: report.acknowledged, faults: report.faults }),
    t('monitoring.report.cleared', { count: report.clearedUnattended }),
  ].join('\n');
  return {
    fallback: `${title}\n${body}`,
    title,
    body,
    fields: [
      { label: t('monitoring.report.bySource'), value: list(report.bySource) },
      { label: t('monitoring.report.byName'), value: list(report.byName) },
      { label: t('monitoring.report.byItem'), value: list(report.byItem) },
      { label: t('monitoring.report.noisiest'), value: list(report.noisiest) },
    ],
  };
}

/** The report for engineers (issue #11 item 9). */
export class AlertReports {
  constructor(private readonly store: Store) {}

  /**
   * The report of `period` (read by src/reports/period.ts). Throws ForbiddenError for people without
   * the engineer role.
   */
  async forPeriod(actor: Actor, period: NamedPeriod): Promise<AlertReport> {
    requireRole(actor.roles, 'engineer', '/ops report alerts');
    return alertReport(this.store.manager, period);
  }
}
