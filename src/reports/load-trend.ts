// Loader: the operations report's weekly trend (records opened and resolved per week), counted in
// SQL with GROUP BY over the week boundaries, so the report does not load eight weeks of timelines.
import type { EntityManager } from 'typeorm';
import { RecordEvent } from '../store/entities/index.js';
import type { Period } from './inputs.js';
import { eventsBetween, isoText, RECORD_TABLES } from './load-records.js';

/** Opened and resolved counts, one per week of the input, in the same order. */
export interface TrendCounts {
  opened: number[];
  resolved: number[];
}

/** The states a record's final resolution leaves it in (src/reports/facts.ts LIFECYCLES). */
const RESOLVED = { fault: 'resolved', request: 'fulfilled' } as const;

/**
 * `CASE WHEN col < :w1 THEN 0 WHEN col < :w2 THEN 1 … END`: the week index of an ISO 8601 time
 * column (text, so it compares as text on SQLite and PostgreSQL), for GROUP BY.
 */
function weekCase(column: string, weeks: readonly Period[], prefix: string): { sql: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const whens = weeks.map((w, i) => {
    params[`${prefix}${i}`] = isoText(w.to);
    return `WHEN ${column} < :${prefix}${i} THEN ${i}`;
  });
  return { sql: `CASE ${whens.join(' ')} END`, params };
}

function addCounts(into: number[], rows: readonly { week: number | string | null; n: number | string }[]): void {
  for (const row of rows) {
    const week = Number(row.week);
    if (row.week !== null && week < into.length) into[week] = (into[week] ?? 0) + Number(row.n);
  }
}

/**
 * Per week of `weeks` (consecutive, oldest first): records created in it, and records whose final
 * resolution (docs/kpis.md: the last entry into the resolved state, not undone by a reopen, the
 * record now resolved or closed) falls in it. The same counts as recordFacts over the timelines.
 */
export async function loadTrend(manager: EntityManager, weeks: readonly Period[]): Promise<TrendCounts> {
  const counts: TrendCounts = { opened: weeks.map(() => 0), resolved: weeks.map(() => 0) };
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  if (!first || !last) return counts;
  const { from } = first;
  const { to } = last;
  for (const kind of ['fault', 'request'] as const) {
    const { table } = RECORD_TABLES[kind];
    const opened = weekCase('r.created_at', weeks, 'w');
    addCounts(
      counts.opened,
      await manager
        .createQueryBuilder()
        .select(`${opened.sql}`, 'week')
        .addSelect('COUNT(*)', 'n')
        .from(table, 'r')
        .where('r.created_at >= :from AND r.created_at < :to', { from: isoText(from), to: isoText(to), ...opened.params })
        .groupBy('week')
        .getRawMany<{ week: number | null; n: number }>(),
    );
    const resolvedIn = weekCase('e.created_at', weeks, 'w');
    const resolved = RESOLVED[kind];
    const qb = manager
      .createQueryBuilder()
      .select(resolvedIn.sql, 'week')
      .addSelect('COUNT(*)', 'n')
      .from(RecordEvent, 'e')
      .innerJoin(table, 'r', 'r.id = e.record_id')
      .where('e.to_state = :resolved AND (e.from_state IS NULL OR e.from_state <> :resolved)', { resolved, ...resolvedIn.params })
      .andWhere("r.state IN (:resolved, 'closed')")
      // Not the final resolution when a later one exists or a later move reopened it (facts.ts).
      .andWhere((outer) => {
        const later = outer
          .subQuery()
          .select('1')
          .from(RecordEvent, 'x')
          .where('x.record_kind = e.record_kind AND x.record_id = e.record_id AND x.id > e.id')
          .andWhere("((x.to_state = :resolved AND (x.from_state IS NULL OR x.from_state <> :resolved)) OR (x.from_state = :resolved AND x.to_state <> 'closed' AND x.to_state <> x.from_state))")
          .getQuery();
        return `NOT EXISTS ${later}`;
      })
      .groupBy('week');
    if (await eventsBetween(manager, qb, 'e', kind, from, to)) addCounts(counts.resolved, await qb.getRawMany<{ week: number | null; n: number }>());
  }
  return counts;
}
