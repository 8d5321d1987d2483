// The staff KPIs of policy 5.2, exactly as docs/kpis.md defines them; that document and this file are
// the only definition. Pure: plain records in (inputs.ts), figures out, each with the records behind it
// so that every number can be drilled down to its inputs (`/ops kpi ... detail`, the CSV).
import { ALWAYS, type Calendar } from '../sla/calendar.js';
import { runningTime } from '../sla/clock.js';
import { changeFacts, recordFacts, type RecordFacts } from './facts.js';
import { inPeriod, type ChangeRecord, type PageInput, type Period, type ServiceRecord, type SurveyAnswer } from './inputs.js';
import { share, summarise, type Summary } from './stats.js';

/** Fewer records than this and a figure says "too few to rank" instead of ranking people on noise (issue #13). */
export const MIN_RECORDS = 5;

/**
 * One record behind a figure, with the inputs the figure used (durations in ms, instants as Date:
 * the CSV writes them as UTC ISO 8601; formatting them here cost a tenth of the KPI time).
 */
export interface FigureRow {
  ref: string;
  /** The person credited. */
  personId: number | null;
  at: Date;
  inputs: Record<string, string | number | boolean | Date | null>;
}

export interface DurationFigure {
  wall: Summary;
  business: Summary;
  tooFew: boolean;
  rows: FigureRow[];
}

export interface RateFigure {
  /** 0..1; null when nothing counted. */
  value: number | null;
  numerator: number;
  denominator: number;
  tooFew: boolean;
  rows: FigureRow[];
}

export interface CsatFigure {
  average: number | null;
  /** Share of answers rated 4 or 5. */
  highShare: number | null;
  count: number;
  tooFew: boolean;
  rows: FigureRow[];
}

export interface PagesFigure {
  count: number;
  /** Wall-clock time from the page to the acknowledgement, over the pages that were acknowledged. */
  toAcknowledge: Summary;
  tooFew: boolean;
  rows: FigureRow[];
}

export const FIGURES = ['handled', 'mtta', 'mttr', 'sla', 'csat', 'reopen', 'changeSuccess', 'changeCompliance', 'pages'] as const;
export type FigureName = (typeof FIGURES)[number];

export interface KpiResult {
  period: Period;
  /** The period has not ended yet: the figures will still move. */
  partial: boolean;
  /** The person the figures are for; null for the whole team. */
  personId: number | null;
  handled: { count: number; rows: FigureRow[] };
  mtta: DurationFigure;
  mttr: DurationFigure;
  sla: RateFigure;
  csat: CsatFigure;
  reopen: RateFigure;
  changeSuccess: RateFigure;
  changeCompliance: RateFigure;
  pages: PagesFigure;
  /** Faults resolved by an alert clearing in the period: counted here, excluded from every figure above. */
  autoResolved: string[];
}

export interface KpiInput {
  records: readonly ServiceRecord[];
  changes: readonly ChangeRecord[];
  surveys: readonly SurveyAnswer[];
  pages: readonly PageInput[];
}

export interface KpiOptions {
  period: Period;
  /** null: the whole team. */
  personId: number | null;
  /** The business-hours calendar of the SLA policy (business_hours, holidays, TZ_NAME). */
  business: Calendar;
  now: Date;
}

function durationFigure(rows: FigureRow[]): DurationFigure {
  const wall = summarise(rows.map((r) => r.inputs.wallMs as number));
  return { wall, business: summarise(rows.map((r) => r.inputs.businessMs as number)), tooFew: wall.count < MIN_RECORDS, rows };
}

function rateFigure(rows: FigureRow[], counts: (row: FigureRow) => boolean): RateFigure {
  const numerator = rows.filter(counts).length;
  return { value: share(numerator, rows.length), numerator, denominator: rows.length, tooFew: rows.length < MIN_RECORDS, rows };
}

/**
 * "Records handled" and its drill-down (docs/kpis.md): one row per record, credited to whoever made
 * its first step in the period, with the inputs that made it count: its kind, the first response
 * (`respondedAt`), the resolutions or fulfilments (`resolutions`, the latest `resolvedAt`) and the
 * start of a change's implementation (`startedAt`) credited in the period; null or 0 when it had none.
 */
class HandledRows {
  private readonly byRef = new Map<string, FigureRow>();

  get rows(): FigureRow[] {
    return [...this.byRef.values()];
  }

  /** Counts `row`'s step (from a figure's rows: the same record, person and instant) for its record. */
  step(kind: ServiceRecord['kind'] | 'change', row: FigureRow, step: { respondedAt: Date } | { resolvedAt: Date } | { startedAt: Date }): void {
    let handled = this.byRef.get(row.ref);
    if (!handled) {
      handled = { ref: row.ref, personId: row.personId, at: row.at, inputs: { kind, respondedAt: null, resolutions: 0, resolvedAt: null, startedAt: null } };
      this.byRef.set(row.ref, handled);
    }
    // Steps arrive per figure, not in time order: the row is dated and credited by the earliest.
    if (row.at.getTime() < handled.at.getTime()) Object.assign(handled, { personId: row.personId, at: row.at });
    const { inputs } = handled;
    if ('respondedAt' in step) inputs.respondedAt = step.respondedAt;
    if ('startedAt' in step) inputs.startedAt = step.startedAt;
    if ('resolvedAt' in step) {
      inputs.resolutions = Number(inputs.resolutions) + 1;
      const latest = inputs.resolvedAt;
      if (!(latest instanceof Date) || latest.getTime() < step.resolvedAt.getTime()) inputs.resolvedAt = step.resolvedAt;
    }
  }
}

/** MTTR's clock: from creation to the standing resolution, less the pauses (waiting on the user, resolved before a reopen). */
function resolutionTime(record: ServiceRecord, facts: RecordFacts, calendar: Calendar): number {
  const end = facts.final?.at ?? record.createdAt;
  return runningTime({ start: record.createdAt, stops: facts.pauses, stoppedSince: end }, end, calendar);
}

/**
 * Every KPI for one person (the one credited by the timeline) or the team over `period`.
 * Durations are in ms, rates are 0..1. See docs/kpis.md for what counts in each figure.
 */
export function computeKpis(input: KpiInput, options: KpiOptions): KpiResult {
  const { period, personId, business } = options;
  const mine = (by: number | null) => by !== null && (personId === null || by === personId);
  const mtta: FigureRow[] = [];
  const mttr: FigureRow[] = [];
  const sla: FigureRow[] = [];
  const reopen: FigureRow[] = [];
  const autoResolved: string[] = [];
  const handled = new HandledRows();

  for (const record of input.records) {
    const facts = recordFacts(record);
    if (facts.autoResolved) {
      if (facts.final && inPeriod(facts.final.at, period)) autoResolved.push(record.ref);
      continue;
    }
    const { response, final } = facts;
    if (response && inPeriod(response.at, period) && mine(response.by)) {
      const row = {
        ref: record.ref,
        personId: response.by,
        at: response.at,
        inputs: {
          priority: record.priority,
          createdAt: record.createdAt,
          // The creation, or the reopening that put the record back to Reported (RecordFacts.response).
          responseStartedAt: response.from,
          respondedAt: response.at,
          wallMs: runningTime({ start: response.from, stops: [], stoppedSince: null }, response.at, ALWAYS),
          businessMs: runningTime({ start: response.from, stops: [], stoppedSince: null }, response.at, business),
        },
      };
      mtta.push(row);
      handled.step(record.kind, row, { respondedAt: response.at });
    }
    for (const resolution of facts.resolutions) {
      if (!inPeriod(resolution.at, period) || !mine(resolution.by)) continue;
      const row = { ref: record.ref, personId: resolution.by, at: resolution.at, inputs: { resolvedAt: resolution.at, reopenedAt: resolution.reopenedAt } };
      reopen.push(row);
      handled.step(record.kind, row, { resolvedAt: resolution.at });
    }
    if (final && inPeriod(final.at, period) && mine(final.by)) {
      const pausedMs = facts.pauses.reduce((sum, p) => sum + (p.to.getTime() - p.from.getTime()), 0);
      const base = { ref: record.ref, personId: final.by, at: final.at };
      mttr.push({
        ...base,
        inputs: {
          priority: record.priority,
          createdAt: record.createdAt,
          resolvedAt: final.at,
          pausedMs,
          wallMs: resolutionTime(record, facts, ALWAYS),
          businessMs: resolutionTime(record, facts, business),
        },
      });
      sla.push({ ...base, inputs: { priority: record.priority, responseBreachedAt: record.responseBreachedAt, resolveBreachedAt: record.resolveBreachedAt } });
    }
  }

  const success: FigureRow[] = [];
  const compliance: FigureRow[] = [];
  for (const change of input.changes) {
    const facts = changeFacts(change);
    if (facts.start && inPeriod(facts.start.at, period) && mine(facts.start.by)) {
      const row = {
        ref: change.ref,
        personId: facts.start.by,
        at: facts.start.at,
        inputs: { type: change.type, startedAt: facts.start.at, windowStart: change.windowStart, windowEnd: change.windowEnd, approved: facts.approvedBeforeStart, insideWindow: facts.insideWindow },
      };
      compliance.push(row);
      handled.step('change', row, { startedAt: facts.start.at });
      if (facts.end) success.push({ ...row, inputs: { startedAt: row.inputs.startedAt, endedAt: facts.end.at, outcome: facts.end.outcome } });
    }
    for (const refused of facts.refusedStarts) {
      if (!inPeriod(refused.at, period) || !mine(refused.by) || compliance.some((r) => r.ref === change.ref)) continue;
      compliance.push({ ref: change.ref, personId: refused.by, at: refused.at, inputs: { type: change.type, refusedAt: refused.at, reason: refused.reason, approved: false, insideWindow: false } });
    }
  }

  const csatRows: FigureRow[] = input.surveys
    .filter((s) => inPeriod(s.ratedAt, period) && mine(s.resolverId))
    .map((s) => ({ ref: s.recordRef, personId: s.resolverId, at: s.ratedAt, inputs: { rating: s.rating, ratedAt: s.ratedAt } }));
  const ratings = csatRows.map((r) => r.inputs.rating as number);

  const pageRows: FigureRow[] = input.pages
    .filter((p) => inPeriod(p.at, period) && mine(p.personId))
    .map((p) => ({
      ref: p.recordRef,
      personId: p.personId,
      at: p.at,
      inputs: { pagedAt: p.at, acknowledgedAt: p.acknowledgedAt, wallMs: p.acknowledgedAt ? Math.max(0, p.acknowledgedAt.getTime() - p.at.getTime()) : null },
    }));

  const handledRows = handled.rows;
  return {
    period,
    partial: options.now.getTime() < period.to.getTime(),
    personId,
    handled: { count: handledRows.length, rows: handledRows },
    mtta: durationFigure(mtta),
    mttr: durationFigure(mttr),
    sla: rateFigure(sla, (r) => r.inputs.responseBreachedAt === null && r.inputs.resolveBreachedAt === null),
    csat: {
      average: ratings.length === 0 ? null : ratings.reduce((a, b) => a + b, 0) / ratings.length,
      highShare: share(ratings.filter((r) => r >= 4).length, ratings.length),
      count: ratings.length,
      tooFew: ratings.length < MIN_RECORDS,
      rows: csatRows,
    },
    reopen: rateFigure(reopen, (r) => r.inputs.reopenedAt !== null),
    changeSuccess: rateFigure(success, (r) => r.inputs.outcome === 'completed'),
    changeCompliance: rateFigure(compliance, (r) => r.inputs.approved === true && r.inputs.insideWindow === true),
    pages: {
      count: pageRows.length,
      toAcknowledge: summarise(pageRows.flatMap((r) => (typeof r.inputs.wallMs === 'number' ? [r.inputs.wallMs] : []))),
      tooFew: pageRows.length < MIN_RECORDS,
      rows: pageRows,
    },
    autoResolved,
  };
}
