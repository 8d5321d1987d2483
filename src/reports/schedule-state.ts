// Which scheduled report is due now: the latest fire of the schedule setting, unless its period ended
// before the reports started being kept (a fresh install posts no "missed" reports about the time
// before it existed) or the fire came before the schedule was last changed (moving the weekday posts
// nothing at once; the new schedule applies from its next fire, within a minute of the change).
import { In, type EntityManager } from 'typeorm';
import { appendAudit, lockAuditChain } from '../audit/chain.js';
import { SYSTEM } from '../people/actor.js';
import { AuditEntry, Setting } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { dueReport, scheduleUnit, type DueReport, type ScheduledReport } from './scheduled.js';
import {
  DEFAULT_MONTHLY_SCHEDULE,
  DEFAULT_WEEKLY_SCHEDULE,
  MONTHLY_SCHEDULE_KEY,
  WEEKLY_SCHEDULE_KEY,
  readMonthlySchedule,
  readWeeklySchedule,
  type ReportSchedule,
} from './schedule-setting.js';

const DEFAULT_WEEKLY = readWeeklySchedule(DEFAULT_WEEKLY_SCHEDULE) ?? { unit: 'week', weekday: 1, hour: 9, minute: 0 };
const DEFAULT_MONTHLY = readMonthlySchedule(DEFAULT_MONTHLY_SCHEDULE) ?? { unit: 'month', day: 1, hour: 9, minute: 0 };

/** The audit action that marks when this database's reports started being kept (the first look). */
export const REPORTS_STARTED = 'report.started';
/** The audit action of a posted scheduled report (one per period). */
export const REPORT_POSTED = 'report.posted';

export class ReportSchedules {
  /** When the reports started being kept; read (or written) once per process. */
  private started: Date | undefined;

  constructor(
    private readonly store: Store,
    private readonly timeZone: string,
  ) {}

  /** The schedule in force for `kind` and when it was last set (undefined: the default, never set). */
  async schedule(kind: ScheduledReport): Promise<{ schedule: ReportSchedule; setAt: Date | undefined }> {
    const weekly = scheduleUnit(kind) === 'week';
    const row = await this.store.manager.findOne(Setting, { where: { key: weekly ? WEEKLY_SCHEDULE_KEY : MONTHLY_SCHEDULE_KEY } });
    // The stored value passed the same parser when it was set; the default covers a hand-edited row.
    const stored = row ? (weekly ? readWeeklySchedule : readMonthlySchedule)(row.value) : undefined;
    if (stored) return { schedule: stored, setAt: row?.updatedAt };
    return { schedule: weekly ? DEFAULT_WEEKLY : DEFAULT_MONTHLY, setAt: undefined };
  }

  /**
   * The report of `kind` due at `now`, or undefined when its latest fire does not count: the period
   * ended at or before the reports started, or the fire came before the schedule was last set.
   */
  async due(kind: ScheduledReport, now: Date): Promise<DueReport | undefined> {
    const { schedule, setAt } = await this.schedule(kind);
    const due = dueReport(schedule, now, this.timeZone);
    const started = await this.startedAt(now);
    if (due.period.to.getTime() <= started.getTime()) return undefined;
    if (setAt && due.fire.getTime() < setAt.getTime()) return undefined;
    return due;
  }

  /**
   * When the reports started being kept: the first `report.started` or `report.posted` audit entry
   * (a database from before the marker has the latter). On the very first look there is neither:
   * the marker is appended now, under the audit chain's lock, so that replicas starting together
   * agree on one.
   */
  async startedAt(now: Date): Promise<Date> {
    if (this.started) return this.started;
    const first = (manager: EntityManager) => manager.findOne(AuditEntry, { where: { action: In([REPORTS_STARTED, REPORT_POSTED]) }, order: { id: 'ASC' } });
    const found = await first(this.store.manager);
    if (found) return (this.started = found.createdAt);
    const written = await this.store.transaction(async (manager) => {
      await lockAuditChain(manager);
      const again = await first(manager);
      if (again) return again.createdAt;
      const entry = await appendAudit(manager, now, { actor: SYSTEM, action: REPORTS_STARTED, recordType: 'report', recordId: 'schedule', before: null, after: { at: now.toISOString() } });
      return entry.createdAt;
    });
    return (this.started = written);
  }
}
