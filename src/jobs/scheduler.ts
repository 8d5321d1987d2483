import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Clock } from '../clock.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { DISPATCHER_LEASE, claimRun, finishRun, runKeyOf } from './lease.js';

/** A named scheduled job; `run` receives the current time of the run. */
export interface Job {
  name: string;
  /** A node-cron expression (5 fields, or 6 with seconds), in the scheduler's time zone. */
  cron: string;
  run: (now: Date) => Promise<void>;
  /** How long a run may take before another process may start the next fire anyway (default 5 min). */
  leaseMs?: number;
  /** Also run once when the process starts, to catch up on what fell due while it was down. */
  runAtStart?: boolean;
}

export interface JobSchedulerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** This process's id, written into the lease rows. */
  holder: string;
  /** IANA time zone the cron expressions are read in (TZ_NAME). */
  timezone: string;
  /**
   * Fire jobs by the injected clock instead of real timers: tests move a controllable clock and
   * every minute it passes is fired, in order, through the same claim as real fires.
   */
  followClock?: boolean;
}

const MINUTE_MS = 60_000;
const FOLLOW_POLL_MS = 200;

const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_NAME_LENGTH = 64;

export type JobOutcome = 'succeeded' | 'failed';

/**
 * Runs named jobs on node-cron schedules, each fire once across all processes sharing the database:
 * node-cron asks our run coordinator before every fire, and the coordinator claims the fire in
 * `job_leases` with one conditional upsert. A job that throws is logged and counted, never rethrown.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly cronLogger: CronLogger;
  private started = false;
  private followTimer: NodeJS.Timeout | undefined;
  private followedUpTo = 0;
  private following: Promise<void> | undefined;

  constructor(private readonly options: JobSchedulerOptions) {
    const log = options.logger;
    const split = (message: string | Error, err?: Error): [{ err?: Error }, string] =>
      message instanceof Error ? [{ err: message }, message.message] : [err ? { err } : {}, message];
    this.cronLogger = {
      info: (message) => log.info(`node-cron: ${message}`),
      warn: (message) => log.warn(`node-cron: ${message}`),
      error: (message, err) => {
        const [context, text] = split(message, err);
        log.error(context, `node-cron: ${text}`);
      },
      debug: (message, err) => {
        const [context, text] = split(message, err);
        log.debug(context, `node-cron: ${text}`);
      },
    };
  }

  /** Registers a job; call before start(). */
  add(job: Job): void {
    if (job.name.length === 0 || job.name.length > MAX_NAME_LENGTH) throw new Error(`job name must be 1-${MAX_NAME_LENGTH} characters: "${job.name}"`);
    if (job.name === DISPATCHER_LEASE) throw new Error(`job name "${job.name}" is reserved`);
    if (this.jobs.has(job.name)) throw new Error(`job "${job.name}" is already registered`);
    const check = cron.validateDetailed(job.cron);
    if (!check.valid) {
      throw new Error(`job "${job.name}": invalid cron expression "${job.cron}": ${check.errors.map((e) => e.message).join('; ')}`);
    }
    this.jobs.set(job.name, job);
    if (this.started && !this.options.followClock) this.tasks.push(this.schedule(job));
  }

  /** Starts every registered job's schedule (timers do not keep the process alive). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.runStartUpJobs();
    if (this.options.followClock) {
      this.followedUpTo = Math.floor(this.options.clock.now().getTime() / MINUTE_MS) * MINUTE_MS;
      this.followTimer = setInterval(() => {
        this.following ??= this.track(this.fireMinutesPassed()).finally(() => (this.following = undefined));
      }, FOLLOW_POLL_MS);
      this.followTimer.unref();
      return;
    }
    for (const job of this.jobs.values()) this.tasks.push(this.schedule(job));
  }

  /** Stops the schedules and waits for runs in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.followTimer);
    for (const task of this.tasks.splice(0)) await task.destroy();
    await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Runs `name`'s fire at `fireTime` if this process is the first to claim it. Returns false when
   * another holder already ran (or is still running) it. Never throws for a failing job.
   */
  async runDue(name: string, fireTime: Date): Promise<boolean> {
    const job = this.jobs.get(name);
    if (!job) throw new Error(`unknown job "${name}"`);
    if (!(await this.claim(job, fireTime))) return false;
    await this.track(this.execute(job, fireTime));
    return true;
  }

  /**
   * Catch-up runs at start-up, keyed by the current minute: if the cron fires in that same minute,
   * the claim lets only one of the two run.
   */
  private runStartUpJobs(): void {
    const minute = new Date(Math.floor(this.options.clock.now().getTime() / MINUTE_MS) * MINUTE_MS);
    for (const job of this.jobs.values()) {
      if (job.runAtStart) void this.track(this.runDue(job.name, minute));
    }
  }

  /** Fires, in order, every minute the clock has passed since the last look (followClock mode). */
  private async fireMinutesPassed(): Promise<void> {
    const now = this.options.clock.now().getTime();
    const matchers = [...this.jobs.values()].map((job) => ({ job, task: cron.createTask(job.cron, () => undefined, { timezone: this.options.timezone }) }));
    for (let minute = this.followedUpTo + MINUTE_MS; minute <= now; minute += MINUTE_MS) {
      const at = new Date(minute);
      for (const { job, task } of matchers) if (task.match(at)) await this.runDue(job.name, at);
      this.followedUpTo = minute;
    }
    for (const { task } of matchers) await task.destroy();
  }

  private schedule(job: Job): ScheduledTask {
    const leaseMs = job.leaseMs ?? DEFAULT_LEASE_MS;
    // node-cron calls shouldRun(key) before each fire, key = `${name}:${slot ISO}`, and skips the fire
    // when it answers false (or throws: fail-closed). The slot is the scheduled time, not the moment
    // this process's timer went off, so every process computes the same key.
    const coordinator: RunCoordinator = {
      shouldRun: async (key) => {
        const fireTime = new Date(key.slice(job.name.length + 1));
        if (!key.startsWith(`${job.name}:`) || Number.isNaN(fireTime.getTime())) {
          throw new Error(`unexpected coordination key "${key}"`);
        }
        const claimed = await this.claim(job, fireTime);
        if (!claimed) this.options.logger.debug({ job: job.name, fire: fireTime.toISOString() }, 'job fire taken by another process');
        return claimed;
      },
    };
    return cron.schedule(job.cron, (context) => this.track(this.execute(job, context.date)), {
      name: job.name,
      timezone: this.options.timezone,
      noOverlap: true,
      distributed: true,
      runCoordinator: coordinator,
      distributedLease: leaseMs,
      unref: true,
      logger: this.cronLogger,
    });
  }

  private async claim(job: Job, fireTime: Date): Promise<boolean> {
    return claimRun(this.options.store, {
      name: job.name,
      holder: this.options.holder,
      runKey: runKeyOf(fireTime),
      now: this.options.clock.now(),
      ttlMs: job.leaseMs ?? DEFAULT_LEASE_MS,
    });
  }

  /** Runs a claimed fire: logs and counts the outcome, then releases the run's lease. */
  private async execute(job: Job, fireTime: Date): Promise<JobOutcome> {
    const { clock, logger, metrics, store, holder } = this.options;
    const runKey = runKeyOf(fireTime);
    const started = clock.now();
    let outcome: JobOutcome;
    try {
      await job.run(started);
      outcome = 'succeeded';
      logger.info({ job: job.name, fire: runKey, ms: clock.now().getTime() - started.getTime() }, 'job run finished');
    } catch (error) {
      outcome = 'failed';
      logger.error({ job: job.name, fire: runKey, err: error }, 'job run failed');
    }
    metrics.jobRuns.inc({ job: job.name, outcome });
    try {
      await finishRun(store, { name: job.name, holder, runKey, now: clock.now() });
    } catch (error) {
      logger.warn({ job: job.name, fire: runKey, err: error }, 'could not release the job lease; it will expire');
    }
    return outcome;
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }
}
