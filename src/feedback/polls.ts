import cron from 'node-cron';
import { IsNull, Not, type EntityManager } from 'typeorm';
import { closedPollMessage, openPollMessage, pollSummaryMessage } from './cards.js';
import { channelOf, storedChannel, type FeedbackOptions } from './delivery.js';
import { checkPollKey } from './poll-key-check.js';
import { countsOf, latestSlot, tally, voterKey, type Counts, type Period, type Rating, type Tally } from './rules.js';
import type { FeedbackSettings } from './settings.js';
import { appendAudit } from '../audit/chain.js';
import { formatTime } from '../chat/format.js';
import { translator } from '../chat/i18n/catalog.js';
import type { ChatTarget } from '../chat/model.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError, UserError } from '../errors.js';
import { enqueue } from '../outbox/outbox.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { FeedbackBallot, FeedbackPoll, Setting } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { SYSTEM } from '../people/actor.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** On its first look after start, the poll job looks back this far: a fire missed during a restart is still posted. */
export const SLOT_LOOKBACK_MINUTES = 60;
/** The furthest back any look goes (a clock that jumped ahead, a suspended machine). */
export const SLOT_MAX_SCAN_MINUTES = 8 * 24 * 60;
const CLOSE_BATCH = 50;

export function pollKey(pollId: number): string {
  return `poll:${pollId}`;
}

export function countsOfPoll(poll: FeedbackPoll): Counts {
  return { 1: poll.votes1 ?? 0, 2: poll.votes2 ?? 0, 3: poll.votes3 ?? 0, 4: poll.votes4 ?? 0, 5: poll.votes5 ?? 0 };
}

export interface ClosedPoll {
  id: number;
  question: string;
  closedAt: Date;
  counts: Counts;
  result: Tally;
}

/**
 * Anonymous polls (policy 5.3). A vote is stored under HMAC(secret, pollId:personId) only, so that a
 * second click replaces it; who voted what is never stored, logged or audited. Counts stay hidden
 * until the poll closes; closing fills them in on the poll and deletes the ballots. The secret is
 * never in the database (poll-secret.ts): without one, no poll is started and no vote is taken.
 */
export class PollService {
  /** Up to when this process has looked for schedule minutes (each look covers the minutes since). */
  private scannedUpTo: number | undefined;
  /** Whether the key is the one the polls were opened with (poll-key-check.ts), asked once. */
  private keyCheck: Promise<'stored' | 'same' | 'differs'> | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: FeedbackSettings,
    private readonly options: FeedbackOptions,
    /** The ballot key from outside the database (POLL_SECRET or the key file); undefined: polls are off. */
    private readonly pollSecret: string | undefined,
  ) {}

  /** `/feedback poll`: an admin posts a poll now, with the configured question unless another is given. */
  async post(actor: Actor, question?: string): Promise<FeedbackPoll> {
    if (!hasRole(actor.roles, 'admin')) throw new ForbiddenError('feedback.error.adminOnlyPoll');
    await this.secret();
    const channel = await this.settings.feedbackChannel();
    if (!channel) throw new InvalidInputError('feedback.error.noFeedbackChannel');
    const text = question ?? (await this.defaultQuestion());
    const poll = await this.store.transaction((manager) => this.create(manager, { question: text, channel, slot: null, createdBy: actor, now: this.clock.now() }));
    this.options.onOutbox?.();
    return poll;
  }

  /**
   * The weekly poll job, run every minute: looks at the minutes since its last look (after a start:
   * the last hour) and posts the poll of the latest one the schedule matches, unless that slot already
   * has its poll. The unique slot makes this once per schedule fire across processes and restarts;
   * a changed `poll_schedule` applies from the next minute on, without a restart.
   */
  async postScheduled(now: Date): Promise<FeedbackPoll | undefined> {
    const schedule = await this.settings.pollSchedule();
    // A fire of a schedule from before it was set never happened: without this, a process that last
    // looked days ago would post the new schedule's past slot as "missed" when the schedule changes.
    const changed = (await this.store.manager.findOneBy(Setting, { key: 'poll_schedule' }))?.updatedAt.getTime() ?? 0;
    const since = Math.max(this.scannedUpTo ?? now.getTime() - SLOT_LOOKBACK_MINUTES * MINUTE_MS, now.getTime() - SLOT_MAX_SCAN_MINUTES * MINUTE_MS, changed);
    const minutes = Math.floor(now.getTime() / MINUTE_MS) - Math.floor(since / MINUTE_MS);
    const matcher = cron.createTask(schedule, () => undefined, { timezone: this.options.timeZone });
    let slot: Date | undefined;
    try {
      slot = latestSlot((minute) => matcher.match(minute), now, minutes);
    } finally {
      await matcher.destroy();
    }
    const poll = slot ? await this.postSlot(slot, now) : undefined;
    this.scannedUpTo = Math.max(this.scannedUpTo ?? 0, now.getTime());
    return poll;
  }

  private async postSlot(slot: Date, now: Date): Promise<FeedbackPoll | undefined> {
    const channel = await this.settings.feedbackChannel();
    if (!channel) return undefined;
    // The job runner logs this at the schedule's minute; a poll nobody could vote in is not posted.
    if (this.pollSecret === undefined) throw new Error('weekly poll not posted: there is no poll key outside the database (set POLL_SECRET)');
    if ((await this.checkKey()) === 'differs') throw new Error('weekly poll not posted: this process\'s poll key differs from the one the polls were opened with (set the same POLL_SECRET on every replica)');
    const question = await this.defaultQuestion();
    const at = slot;
    const poll = await this.store.transaction(async (manager) => {
      const taken = await manager.createQueryBuilder(FeedbackPoll, 'p').where('p.slot = :slot', { slot: at.toISOString() }).getOne();
      if (taken) return undefined;
      return this.create(manager, { question, channel, slot: at, createdBy: null, now });
    });
    if (poll) this.options.onOutbox?.();
    return poll;
  }

  /** Records (or replaces) the actor's anonymous vote; tells nothing about it back. */
  async vote(actor: Actor, pollId: number, choice: Rating): Promise<{ closesAt: Date }> {
    try {
      return await this.recordVote(actor, pollId, choice);
    } catch (error) {
      if (error instanceof UserError) throw error;
      // A database error carries the statement and its parameters (poll, voter key, choice), and the
      // runtime logs unexpected errors next to the user who clicked: pass on only what went wrong.
      throw new Error(`recording a poll vote failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
    }
  }

  private async recordVote(actor: Actor, pollId: number, choice: Rating): Promise<{ closesAt: Date }> {
    const secret = await this.secret();
    return this.store.transaction(async (manager) => {
      const poll = await manager.findOne(FeedbackPoll, { where: { id: pollId } });
      if (!poll) throw new NotFoundError('feedback.error.pollNotFound');
      const now = this.clock.now();
      if (poll.closedAt !== null || now.getTime() >= poll.closesAt.getTime()) {
        throw new ConflictError('feedback.error.pollClosed', { time: formatTime(poll.closedAt ?? poll.closesAt, this.options.timeZone) });
      }
      // One statement, so that two clicks at once (even from two processes) leave one ballot.
      await manager
        .createQueryBuilder()
        .insert()
        .into(FeedbackBallot)
        .values({ pollId: poll.id, voterKey: voterKey(secret, poll.id, actor.personId), choice })
        .orUpdate(['choice'], ['poll_id', 'voter_key'])
        .execute();
      return { closesAt: poll.closesAt };
    });
  }

  /** Closes polls whose time is up: fills in the counts, deletes the ballots, shows the result. */
  async closeDue(now: Date): Promise<number> {
    const due = await this.store.manager
      .createQueryBuilder(FeedbackPoll, 'p')
      .where('p.closed_at IS NULL AND p.closes_at <= :now', { now: now.toISOString() })
      .orderBy('p.id', 'ASC')
      .take(CLOSE_BATCH)
      .getMany();
    let closed = 0;
    for (const poll of due) if (await this.store.transaction((manager) => this.close(manager, poll.id, now))) closed++;
    if (closed > 0) this.options.onOutbox?.();
    return closed;
  }

  /** Polls closed in the period, oldest first, with their results. */
  async closedIn(period: Period): Promise<ClosedPoll[]> {
    const polls = await this.store.manager
      .createQueryBuilder(FeedbackPoll, 'p')
      .where('p.closed_at IS NOT NULL AND p.closed_at >= :from AND p.closed_at < :to', { from: period.from.toISOString(), to: period.to.toISOString() })
      .orderBy('p.closed_at', 'ASC')
      .getMany();
    return polls.map((p) => {
      const counts = countsOfPoll(p);
      return { id: p.id, question: p.question, closedAt: p.closedAt ?? p.closesAt, counts, result: tally(counts) };
    });
  }

  async get(pollId: number): Promise<FeedbackPoll> {
    const poll = await this.store.manager.findOne(FeedbackPoll, { where: { id: pollId } });
    if (!poll) throw new NotFoundError('feedback.error.pollNotFound');
    return poll;
  }

  private async close(manager: EntityManager, pollId: number, now: Date): Promise<boolean> {
    const ballots = await manager.find(FeedbackBallot, { where: { pollId } });
    const counts = countsOf(ballots.map((b) => b.choice));
    const result = await manager.update(
      FeedbackPoll,
      { id: pollId, closedAt: IsNull() },
      { closedAt: now, votes1: counts[1], votes2: counts[2], votes3: counts[3], votes4: counts[4], votes5: counts[5] },
    );
    if (result.affected !== 1) return false;
    await manager.delete(FeedbackBallot, { pollId });
    const poll = await manager.findOneOrFail(FeedbackPoll, { where: { id: pollId } });
    const previous = await manager.findOne(FeedbackPoll, { where: { closedAt: Not(IsNull()), id: Not(pollId) }, order: { closedAt: 'DESC', id: 'DESC' } });
    await appendAudit(manager, now, {
      actor: SYSTEM,
      action: 'feedback.poll.closed',
      recordType: 'feedback_poll',
      recordId: String(pollId),
      before: null,
      after: { counts },
    });
    const target = channelOf(poll.channel);
    if (target) {
      const t = translator(this.options.defaultLocale);
      const view = { t, platform: target.platform, timeZone: this.options.timeZone };
      await enqueue(manager, now, [
        { target, key: pollKey(poll.id), message: closedPollMessage({ id: poll.id, question: poll.question, closesAt: poll.closesAt, closedAt: now }, counts, view) },
        { target, message: pollSummaryMessage(poll.question, counts, previous ? countsOfPoll(previous) : undefined, t) },
      ]);
    }
    return true;
  }

  /** A scheduled poll closes `poll_days` after its schedule minute; one posted by hand, after it was posted. */
  private async create(
    manager: EntityManager,
    input: { question: string; channel: ChatTarget; slot: Date | null; createdBy: Actor | null; now: Date },
  ): Promise<FeedbackPoll> {
    const days = await this.settings.pollDays();
    const start = input.slot ?? input.now;
    const poll = await manager.save(
      FeedbackPoll,
      manager.create(FeedbackPoll, {
        question: input.question.slice(0, 300),
        channel: storedChannel(input.channel),
        slot: input.slot,
        createdBy: input.createdBy?.personId ?? null,
        postedAt: input.now,
        closesAt: new Date(start.getTime() + days * DAY_MS),
        closedAt: null,
        votes1: null,
        votes2: null,
        votes3: null,
        votes4: null,
        votes5: null,
      }),
    );
    await appendAudit(manager, input.now, {
      actor: input.createdBy ?? SYSTEM,
      action: 'feedback.poll.posted',
      recordType: 'feedback_poll',
      recordId: String(poll.id),
      before: null,
      after: { question: poll.question, channel: poll.channel, closesAt: poll.closesAt.toISOString(), slot: poll.slot?.toISOString() ?? null },
    });
    const view = { t: translator(this.options.defaultLocale), platform: input.channel.platform, timeZone: this.options.timeZone };
    await enqueue(manager, input.now, [{ target: input.channel, key: pollKey(poll.id), message: openPollMessage(poll, view) }]);
    return poll;
  }

  private async defaultQuestion(): Promise<string> {
    return (await this.settings.pollQuestion()) ?? translator(this.options.defaultLocale)('feedback.poll.defaultQuestion');
  }

  /**
   * Compares this process's poll key with the one the polls were opened with (its fingerprint in the
   * settings table, stored by the first process to ask): `none` without a key. Asked once per process;
   * a failed look-up (database away) is asked again next time. Throws the database's errors.
   */
  async checkKey(): Promise<'none' | 'stored' | 'same' | 'differs'> {
    if (this.pollSecret === undefined) return 'none';
    this.keyCheck ??= checkPollKey(this.store, this.pollSecret, this.clock.now());
    try {
      return await this.keyCheck;
    } catch (error) {
      this.keyCheck = undefined;
      throw error;
    }
  }

  /**
   * The key of the voter hashes, which is never in the database. Without it polls are refused, and
   * with a key other than the polls were opened with too: each key gives one person another voter key,
   * so votes on two replicas would count twice.
   */
  private async secret(): Promise<string> {
    if (this.pollSecret === undefined) throw new InvalidInputError('feedback.error.noPollSecret');
    if ((await this.checkKey()) === 'differs') throw new InvalidInputError('feedback.error.pollKeyDiffers');
    return this.pollSecret;
  }
}
