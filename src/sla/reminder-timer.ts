// A timer set to the earliest `next_reminder_at`, so that reminders and escalations go out within
// seconds of their due time instead of at the next minute sweep (which stays, as the safety net).
import type { SlaRecord, SlaSubject } from './subjects.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

export interface ReminderTimerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The record kinds whose `next_reminder_at` is watched (the SLA subjects). */
  subjects: readonly SlaSubject<SlaRecord>[];
  /**
   * Carries out what is due at `now`: the SLA sweep, whose conditional update per record keeps every
   * reminder exactly once however many processes (and timers) run it.
   */
  run(now: Date): Promise<unknown>;
  /**
   * Longest real wait, in ms, before the timer looks at the clock again (default 30 s). Waits are
   * measured on the injected clock, so under a test clock that jumps (OPSDESK_CLOCK_FILE) this must
   * be short: the timer notices a jump past the due time within this long.
   */
  maxWaitMs?: number;
  /** Pause after a failed run before the timer fires again, in ms (default 30 s; the sweep still runs every minute). */
  failurePauseMs?: number;
}

/**
 * Fires the SLA sweep at the earliest `next_reminder_at` of any record. Call `rearm()` whenever a
 * record may have got an earlier one (after every committed change that queues messages, and the
 * timer itself re-arms after each run). Its timers do not keep the process alive.
 *
 * Timing: a reminder due at T goes out at T plus the time of one indexed query and the sweep (well
 * under 5 s), under the system clock; under a file clock, within `maxWaitMs` of the clock passing T.
 */
export class ReminderTimer {
  private readonly maxWaitMs: number;
  private readonly failurePauseMs: number;
  private dueAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  /** One look-up or run at a time; a re-arm asked for meanwhile runs after it. */
  private busy: Promise<void> | undefined;
  private again = false;
  private pausedUntil = 0;
  /** The `now` of the last run: a due time not after it was left by that run, and is not chased again at once. */
  private lastRunAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ReminderTimerOptions) {
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
    this.failurePauseMs = options.failurePauseMs ?? 30_000;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.rearm();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.busy;
  }

  /** The due time the timer is set to (UTC ms), if any record has one; for tests and logs. */
  get armedFor(): Date | undefined {
    return this.dueAt === undefined ? undefined : new Date(this.dueAt);
  }

  /** Reads the earliest `next_reminder_at` again and sets the timer to it. Cheap (one indexed query per kind). */
  rearm(): void {
    if (!this.started) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = this.lookUp().finally(() => {
      this.busy = undefined;
      if (this.again) {
        this.again = false;
        this.rearm();
      }
    });
  }

  private async lookUp(): Promise<void> {
    try {
      this.dueAt = await this.earliest();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'reminder timer: could not read the next due time');
      this.dueAt = undefined;
    }
    this.arm();
  }

  private async earliest(): Promise<number | undefined> {
    let earliest: number | undefined;
    for (const subject of this.options.subjects) {
      // ISO strings of one length sort like the instants they name, so MIN is the earliest.
      const row = await this.options.store.manager
        .createQueryBuilder(subject.entity, 'r')
        .select('MIN(r.next_reminder_at)', 'at')
        .where('r.next_reminder_at IS NOT NULL')
        .getRawOne<{ at: string | null }>();
      const at = row?.at ? new Date(row.at).getTime() : Number.NaN;
      if (!Number.isNaN(at) && (earliest === undefined || at < earliest)) earliest = at;
    }
    return earliest;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.started || this.dueAt === undefined) return;
    const now = this.options.clock.now().getTime();
    const target = this.targetTime(this.dueAt);
    const waitMs = Math.min(Math.max(0, target - now), this.maxWaitMs);
    this.timer = setTimeout(() => this.wake(), waitMs);
    this.timer.unref();
  }

  private wake(): void {
    this.timer = undefined;
    if (!this.started || this.busy) return;
    const now = this.options.clock.now();
    if (this.dueAt === undefined || now.getTime() < this.targetTime(this.dueAt)) {
      this.arm();
      return;
    }
    this.busy = this.fire(now).finally(() => {
      this.busy = undefined;
      this.again = false;
      this.rearm();
    });
  }

  /** When to fire for a due time: not while paused, and a time the last run already saw waits for the pause. */
  private targetTime(dueAt: number): number {
    const stuck = dueAt <= this.lastRunAt ? this.lastRunAt + this.failurePauseMs : dueAt;
    return Math.max(stuck, this.pausedUntil);
  }

  private async fire(now: Date): Promise<void> {
    this.lastRunAt = now.getTime();
    try {
      await this.options.run(now);
    } catch (error) {
      // A record that keeps failing would otherwise make the timer spin; the minute sweep retries it.
      this.pausedUntil = this.options.clock.now().getTime() + this.failurePauseMs;
      this.options.logger.error({ err: error }, 'reminder timer: SLA sweep failed');
    }
  }
}
