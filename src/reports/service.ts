// Use cases of the evaluation reports (policy 5.1, 5.2): the scheduled reports to management_channel,
// and the audit report, KPIs and operations reports on demand. Loads plain inputs through the
// load-*.ts files (and the alert figures of src/monitoring/report.ts), then runs the pure findings and
// KPI formulas.
import { appendAudit, lockAuditChain, verifyChain, type ChainVerdict } from '../audit/chain.js';
import { translator, type Locale } from '../chat/i18n/catalog.js';
import { enqueue } from '../outbox/outbox.js';
import { SYSTEM } from '../people/actor.js';
import type { SettingsService } from '../settings/service.js';
import { AuditEntry } from '../store/entities/index.js';
import { auditReportMessage } from './audit-report.js';
import { postedRecordId, type ScheduledReport } from './scheduled.js';
import { REPORT_POSTED, ReportSchedules } from './schedule-state.js';
import { withChart } from './files.js';
import type { ChatMessage, ChatTarget } from '../chat/model.js';
import type { EntityManager } from 'typeorm';
import { alertFiguresBetween } from '../monitoring/report.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { calendarOf } from '../sla/policy.js';
import type { SlaService } from '../sla/service.js';
import type { Store } from '../store/store.js';
import { auditFindings, type Finding } from './findings.js';
import { computeKpis, type KpiResult } from './kpis.js';
import { loadRoleChanges } from './load-audit.js';
import { loadChanges } from './load-changes.js';
import { loadPages, loadSurveys } from './load-feedback.js';
import { loadServiceRecords } from './load-records.js';
import type { Period } from './inputs.js';
import { loadTrend } from './load-trend.js';
import { operationsReport, type OperationsReport, type ReportKind } from './operations.js';
import { trendWeeks } from './trend-weeks.js';
import { previousPeriod, type NamedPeriod } from './period.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChartData } from './chart.js';

export interface AuditReport {
  findings: Finding[];
  verdict: ChainVerdict;
}

export class ReportService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sla: SlaService,
    private readonly settings: SettingsService,
    private readonly options: { timeZone: string; defaultLocale: Locale; onOutbox?: () => void },
  ) {
    this.schedules = new ReportSchedules(store, options.timeZone);
  }

  /** Which report is due when (the schedule settings, when the reports started). */
  readonly schedules: ReportSchedules;
  /** Periods known to be posted: the job looks every minute, and the audit log need not be asked again. */
  private readonly postedIds = new Set<string>();

  /**
   * The scheduled job, for one kind: posts the report of the period due at `now` (schedule-state.ts:
   * the latest fire of report_schedule or report_schedule_monthly, if it counts) to management_channel
   * with its chart, unless that period was posted already (by this or another process). Returns what
   * happened; `not_due` when the latest fire does not count (before the reports started, or before
   * the schedule was last set).
   */
  async postScheduled(kind: ScheduledReport, now: Date): Promise<'posted' | 'already' | 'no_channel' | 'not_due'> {
    const channel = await this.settings.channel('management_channel');
    if (!channel) return 'no_channel';
    const { timeZone } = this.options;
    const due = await this.schedules.due(kind, now);
    if (!due) return 'not_due';
    const { period } = due;
    const recordId = postedRecordId(kind, period, timeZone);
    if (this.postedIds.has(recordId)) return 'already';
    const done = async (manager: EntityManager) => (await manager.count(AuditEntry, { where: { action: REPORT_POSTED, recordId } })) > 0;
    if (await done(this.store.manager)) {
      this.postedIds.add(recordId);
      return 'already';
    }
    const t = translator(this.options.defaultLocale);
    const message = kind === 'audit' ? await this.audit(null, period).then((r) => auditReportMessage(r.findings, r.verdict, period.label, t)) : await this.withChart(kind, period, t);
    const posted = await this.store.transaction(async (manager) => {
      // The audit chain's lock: one process at a time checks and records the posting.
      await lockAuditChain(manager);
      if (await done(manager)) return false;
      await enqueue(manager, now, [{ target: channel, message }]);
      await appendAudit(manager, now, { actor: SYSTEM, action: REPORT_POSTED, recordType: 'report', recordId, before: null, after: { channel: `${channel.platform}:${channel.id}` } });
      return true;
    });
    this.postedIds.add(recordId);
    if (posted) this.options.onOutbox?.();
    return posted ? 'posted' : 'already';
  }

  /** The operations report of `period` with its chart attached, both in the language of `t`. */
  private async withChart(kind: ReportKind, period: NamedPeriod, t: Translate): Promise<ChatMessage> {
    const report = await this.operations(null, kind, period, t, this.options.timeZone);
    return withChart(report.message, await drawChart(report.chart, t), kind, period.from, this.options.timeZone);
  }

  /**
   * `/ops report weekly|monthly` on demand: queues the chart of `report` to `target` (the person's own
   * DM; a private reply cannot carry a file on Slack) with the report's title as its text. The
   * caller answers privately with the report itself; `report` comes from operations(), which checked
   * the actor's role.
   */
  async sendChart(target: ChatTarget, report: OperationsReport, kind: ReportKind, period: NamedPeriod, t: Translate): Promise<void> {
    const title = t('reports.ops.chartTitle', { title: report.message.title ?? report.message.fallback });
    const message = withChart({ fallback: title, title, color: 'blue' }, await drawChart(report.chart, t), kind, period.from, this.options.timeZone);
    await this.store.transaction((manager) => enqueue(manager, this.clock.now(), [{ target, message }]));
    this.options.onOutbox?.();
  }

  /**
   * The audit report of `period` (managers; ForbiddenError otherwise): findings as of the period's end
   * (or now, for a period still open) and the whole chain verified now.
   */
  async audit(actor: Actor | null, period: Period): Promise<AuditReport> {
    if (actor && !hasRole(actor.roles, 'manager')) throw new ForbiddenError('reports.error.managerOnly');
    const manager = this.store.manager;
    const [records, changes, roleChanges] = await Promise.all([loadServiceRecords(manager, period), loadChanges(manager, period), loadRoleChanges(manager, period)]);
    const now = this.clock.now();
    const asOf = now.getTime() < period.to.getTime() ? now : period.to;
    return { findings: auditFindings({ records, changes, roleChanges }, period, asOf), verdict: await verifyChain(manager) };
  }

  /**
   * KPIs of one person (personId) or the team (null) over `period`. Engineers see their own only;
   * managers everyone's and the team's (issue #13); ForbiddenError otherwise.
   */
  async kpis(actor: Actor, personId: number | null, period: Period): Promise<KpiResult> {
    const own = personId === actor.personId && hasRole(actor.roles, 'engineer');
    if (!own && !hasRole(actor.roles, 'manager')) throw new ForbiddenError('reports.error.managerOnly');
    const manager = this.store.manager;
    const [records, changes, surveys, pages, policy] = await Promise.all([
      loadServiceRecords(manager, period),
      loadChanges(manager, period),
      loadSurveys(manager, period),
      loadPages(manager, period),
      this.sla.policy(),
    ]);
    return computeKpis({ records, changes, surveys, pages }, { period, personId, business: calendarOf(policy, 'business'), now: this.clock.now() });
  }

  /**
   * The operations report of `period` against the period before (managers, or the scheduled job with
   * actor null), in the language of `t`. Loads the records of both periods; the trend is counted in SQL.
   */
  async operations(actor: Actor | null, kind: ReportKind, period: NamedPeriod, t: Translate, timeZone: string): Promise<OperationsReport> {
    if (actor && !hasRole(actor.roles, 'manager')) throw new ForbiddenError('reports.error.managerOnly');
    const previous = previousPeriod(period);
    const span = { from: previous.from, to: period.to };
    const manager = this.store.manager;
    const weeks = trendWeeks(kind, period, timeZone);
    const [records, changes, surveys, trend, policy, current, before] = await Promise.all([
      loadServiceRecords(manager, span),
      loadChanges(manager, span),
      loadSurveys(manager, span),
      loadTrend(manager, weeks),
      this.sla.policy(),
      alertFiguresBetween(manager, period.from, period.to),
      alertFiguresBetween(manager, previous.from, previous.to),
    ]);
    return operationsReport(
      { records, changes, surveys, trendWeeks: weeks, trend, alerts: { current, previous: before } },
      {
        kind,
        period,
        periodLabel: period.label,
        previous,
        business: calendarOf(policy, 'business'),
        now: this.clock.now(),
      },
      t,
    );
  }
}/**
 * Draws the report chart as PNG bytes. ECharts, zrender and resvg (about 600 modules) load on the
 * first report, not at start-up: an idle bot never draws a chart (bench/results.md, idle memory).
 */
async function drawChart(data: ChartData, t: Translate): Promise<Buffer> {
  const { renderChartAsync } = await import('./chart.js');
  return renderChartAsync(data, t);
}


