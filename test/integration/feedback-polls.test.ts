import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { BUTTONS, FORMS } from '../../src/capabilities.js';
import { ManualClock } from '../../src/clock.js';
import type { ChatActor, ChatMessage, ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { ConflictError, ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { feedbackJobs } from '../../src/feedback/jobs.js';
import { Metrics } from '../../src/http/metrics.js';
import { JobScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { createServices, type Services } from '../../src/services.js';
import { FeedbackBallot, FeedbackPoll, OutboxMessage, Setting } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { POLL_KEY_FINGERPRINT_SETTING, pollKeyFingerprint } from '../../src/feedback/poll-key-check.js';
import { openTestStore, openTestWorld, freshTestDatabase, TEST_POLL_SECRET, type TestWorld } from '../helpers/db.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const payload = (row: OutboxMessage | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;
const text = (reply: ChatReply): string => (reply.type === 'private' ? `${reply.message.fallback} ${reply.message.body ?? ''}` : reply.type);

const VOTERS = ['amara.k', 'bruno.t', 'chen.y', 'dana.m', 'emil.r'] as const;

describe('the anonymous feedback poll', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;
  let logLines: string[];

  const chat = (name: string): ChatActor => ({ platform: 'shell', userId: name, displayName: name });
  const command = (name: string, text: string) => runtime.handle({ type: 'command', actor: chat(name), command: '/feedback', text });
  const click = (name: string, actionId: string, value: string) => runtime.handle({ type: 'button', actor: chat(name), actionId, value });

  beforeEach(async () => {
    world = await openTestWorld();
    logLines = [];
    const logger = createLogger('trace', { write: (line: string) => void logLines.push(line) });
    runtime = new ChatRuntime({
      services: world.services,
      commands: COMMANDS,
      buttons: BUTTONS,
      forms: FORMS,
      defaultLocale: 'en',
      clock: world.clock,
      timeZone: 'Europe/Berlin',
      logger,
      metrics: new Metrics(),
    });
  });
  afterEach(async () => world.store.close());

  async function postPoll(): Promise<FeedbackPoll> {
    await world.services.settings.set(await world.actor('admin'), 'feedback_channel', 'slack:CFEEDBACK');
    const reply = await command('admin', 'poll');
    expect(text(reply)).toContain('Poll posted to the feedback channel; it closes at 2026-11-26 10:00.');
    const [poll] = await world.store.manager.find(FeedbackPoll);
    if (!poll) throw new Error('no poll');
    return poll;
  }

  it('lets only admins post a poll now, and only where a feedback channel is set', async () => {
    const admin = await world.actor('admin');
    await expect(world.services.feedback.polls.post(admin)).rejects.toBeInstanceOf(InvalidInputError);
    await world.services.settings.set(admin, 'feedback_channel', '#feedback');
    await expect(world.services.feedback.polls.post(await world.actor('anna'))).rejects.toBeInstanceOf(ForbiddenError);
    expect(text(await command('anna', 'poll'))).toContain('/feedback poll needs the admin role');
    const poll = await world.services.feedback.polls.post(admin, 'Was the new printer set-up clear?');
    expect(poll).toMatchObject({ question: 'Was the new printer set-up clear?', channel: 'shell:feedback', slot: null, createdBy: admin.personId });
    const posted = await world.store.manager.find(OutboxMessage, { where: { messageKey: `poll:${poll.id}` } });
    expect(posted.map((m) => [m.platform, m.targetKind, m.targetId])).toEqual([['shell', 'channel', 'feedback']]);
    expect(payload(posted[0]).buttons?.map((b) => b.label)).toEqual(['😞 1', '🙁 2', '😐 3', '🙂 4', '😄 5', '💡 Suggest something']);
  });

  it('counts one vote per person, hides the counts until it closes, then shows them in place with a summary', async () => {
    const poll = await postPoll();
    expect(poll.question).toBe('How satisfied were you with IT services this week?');
    const vote = (name: string, choice: number) => click(name, 'feedback.vote', `${poll.id}:${choice}`);

    const replies = await Promise.all([vote('amara.k', 4), vote('amara.k', 4), vote('bruno.t', 2), vote('chen.y', 3)]);
    replies.push(await vote('bruno.t', 5), await vote('dana.m', 4), await vote('emil.r', 1));
    for (const reply of replies) {
      expect(text(reply)).toContain('your vote is counted anonymously');
      // The answer never repeats the choice: it travels through the platform and may be logged there.
      expect(text(reply)).not.toMatch(/[1-5] ·|😞|🙁|😐|🙂|😄/);
    }
    expect(await world.store.manager.count(FeedbackBallot)).toBe(5);

    // Nothing shows a running count: the poll row has none, and the channel message was never edited.
    world.clock.advance(3 * DAY - MINUTE);
    expect(await world.services.feedback.polls.closeDue(world.clock.now())).toBe(0);
    const open = await world.store.manager.findOneByOrFail(FeedbackPoll, { id: poll.id });
    expect([open.votes1, open.votes2, open.votes3, open.votes4, open.votes5]).toEqual([null, null, null, null, null]);
    expect(await world.store.manager.count(OutboxMessage, { where: { messageKey: `poll:${poll.id}` } })).toBe(1);

    world.clock.advance(MINUTE);
    expect(text(await vote('chen.y', 5))).toContain('This poll closed at 2026-11-26 10:00');
    await expect(world.services.feedback.polls.vote(await world.actor('chen.y'), poll.id, 5)).rejects.toBeInstanceOf(ConflictError);
    expect(await world.services.feedback.polls.closeDue(world.clock.now())).toBe(1);
    expect(await world.services.feedback.polls.closeDue(world.clock.now())).toBe(0);

    const closed = await world.store.manager.findOneByOrFail(FeedbackPoll, { id: poll.id });
    expect([closed.votes1, closed.votes2, closed.votes3, closed.votes4, closed.votes5]).toEqual([1, 0, 1, 2, 1]);
    expect(closed.closedAt?.toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(await world.store.manager.count(FeedbackBallot)).toBe(0);

    const edits = await world.store.manager.find(OutboxMessage, { where: { messageKey: `poll:${poll.id}` }, order: { id: 'ASC' } });
    expect(edits).toHaveLength(2);
    const result = payload(edits[1]);
    expect(result.buttons).toBeUndefined();
    expect(result.body).toContain('😄 5  ██░░░░░░░░  1 (20%)');
    expect(result.body).toContain('🙂 4  ████░░░░░░  2 (40%)');
    expect(result.fields).toEqual([
      { label: 'Votes', value: '5' },
      { label: 'Average', value: '3.4 / 5' },
      { label: 'Satisfied (4-5)', value: '60%' },
    ]);
    const inChannel = await world.store.manager.find(OutboxMessage, { where: { targetId: 'CFEEDBACK' }, order: { id: 'ASC' } });
    expect(inChannel.map((m) => m.messageKey)).toEqual([`poll:${poll.id}`, `poll:${poll.id}`, null]);
    expect(payload(inChannel[2]).body).toBe(
      'Poll closed: "How satisfied were you with IT services this week?": 5 votes, average 3.4 / 5, 60% satisfied (4-5).',
    );
  });

  it('refuses votes on a process whose poll key differs from the one the polls were opened with', async () => {
    // Two replicas on one database, the second with another POLL_SECRET.
    const url = await freshTestDatabase();
    const first = await openTestWorld({ url });
    const second = await openTestWorld({ url, pollSecret: 'another-poll-secret-0123456789abcdef0123456789' });
    await first.services.settings.set(await first.actor('admin'), 'feedback_channel', 'slack:CFEEDBACK');
    const poll = await first.services.feedback.polls.post(await first.actor('admin'));
    await first.services.feedback.polls.vote(await first.actor('amara.k'), poll.id, 4);
    // The fingerprint, never the key, is in the database.
    const stored = await first.store.manager.findOneByOrFail(Setting, { key: POLL_KEY_FINGERPRINT_SETTING });
    expect(stored.value).toBe(pollKeyFingerprint(TEST_POLL_SECRET));
    expect(stored.value).not.toContain(TEST_POLL_SECRET);

    expect(await second.services.feedback.polls.checkKey()).toBe('differs');
    const secondRuntime = new ChatRuntime({ services: second.services, commands: COMMANDS, buttons: BUTTONS, forms: FORMS, defaultLocale: 'en', clock: second.clock, timeZone: 'Europe/Berlin', logger: createLogger('silent'), metrics: new Metrics() });
    const reply = await secondRuntime.handle({ type: 'button', actor: chat('amara.k'), actionId: 'feedback.vote', value: `${poll.id}:2` });
    expect(text(reply)).toContain("this server's poll key differs from the one the polls were opened with");
    await expect(second.services.feedback.polls.vote(await second.actor('bruno.t'), poll.id, 3)).rejects.toMatchObject({ messageKey: 'feedback.error.pollKeyDiffers' });
    expect(await first.store.manager.count(FeedbackBallot)).toBe(1);
    // The first key still counts, and the stored fingerprint stays the first one.
    expect(await first.services.feedback.polls.checkKey()).toBe('stored');
    expect((await first.store.manager.findOneByOrFail(Setting, { key: POLL_KEY_FINGERPRINT_SETTING })).value).toBe(stored.value);
  });

  it('leaves no row and no log line that links a voter to a choice', async () => {
    const poll = await postPoll();
    const choices = [4, 2, 5, 1, 3];
    for (const [i, name] of VOTERS.entries()) await click(name, 'feedback.vote', `${poll.id}:${choices[i] ?? 3}`);
    await click('amara.k', 'feedback.vote', `${poll.id}:1`);
    await click('amara.k', 'feedback.vote', `${poll.id}:9`);
    const voters = await Promise.all(VOTERS.map((name) => world.actor(name)));

    const check = async (stage: string) => {
      const found = await mentionsOfVoters(world.store, voters);
      for (const { table, row } of found) {
        const revealsChoice = Object.keys(row).some((column) => /choice|vote|rating/i.test(column)) || /vote|choice/i.test(JSON.stringify(row));
        expect([stage, table, revealsChoice, row]).toEqual([stage, table, false, row]);
      }
      const ballots: Record<string, unknown>[] = await world.store.dataSource.query('SELECT * FROM feedback_ballots');
      for (const ballot of ballots) {
        expect(Object.keys(ballot).sort()).toEqual(['choice', 'poll_id', 'voter_key']);
        for (const voter of voters) {
          expect(String(ballot.voter_key)).not.toContain(voter.userId);
          expect(ballot.voter_key).not.toBe(String(voter.personId));
        }
      }
      return ballots.length;
    };
    expect(await check('open')).toBe(5);
    // The key of the voter hashes is not in the database (poll-secret.test.ts shows a copy cannot link ballots).
    expect(JSON.stringify(await world.store.manager.find(Setting))).not.toContain(TEST_POLL_SECRET);

    world.clock.advance(3 * DAY);
    await world.services.feedback.polls.closeDue(world.clock.now());
    expect(await check('closed')).toBe(0);
    const closed = await world.store.manager.findOneByOrFail(FeedbackPoll, { id: poll.id });
    expect([closed.votes1, closed.votes2, closed.votes3, closed.votes4, closed.votes5]).toEqual([2, 1, 1, 0, 1]);

    for (const line of logLines) {
      for (const voter of voters) {
        if (line.includes(voter.userId)) expect(line).not.toMatch(/feedback\.vote|"value"|choice/);
      }
    }
  });

  it('logs a vote that failed in the database without its choice or voter key', async () => {
    const poll = await postPoll();
    await world.store.dataSource.query('DROP TABLE feedback_ballots');
    const reply = await click('amara.k', 'feedback.vote', `${poll.id}:4`);
    expect(text(reply)).toContain('Something went wrong on our side');
    const failures = logLines.filter((line) => line.includes('unexpected error while handling an event'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('amara.k');
    expect(failures[0]).toContain('recording a poll vote failed');
    expect(failures[0]).not.toMatch(/parameters|INSERT|[0-9a-f]{64}|choice/i);
  });
});

/** Every row in every table that names one of the voters: by account id or name, or by person id in a person column. */
async function mentionsOfVoters(store: Store, voters: { personId: number; userId: string; displayName: string }[]) {
  const sqlite = store.kind === 'sqlite';
  const tables: { name: string }[] = await store.dataSource.query(
    sqlite
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const found: { table: string; row: Record<string, unknown> }[] = [];
  for (const { name } of tables) {
    const foreignKeys = sqlite
      ? await store.dataSource.query<{ table: string; from: string }[]>(`PRAGMA foreign_key_list("${name}")`)
      : await store.dataSource.query<{ table: string; from: string }[]>(
          `SELECT kcu.column_name AS "from", ccu.table_name AS "table"
             FROM information_schema.table_constraints tc
             JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() AND tc.table_name = $1`,
          [name],
        );
    // Columns that hold a person's id: foreign keys to people, and the audit-style ones without a key.
    const personColumns = new Set<string>(foreignKeys.filter((fk) => fk.table === 'people').map((fk) => fk.from));
    const rows: Record<string, unknown>[] = await store.dataSource.query(`SELECT * FROM "${name}"`);
    for (const row of rows) {
      for (const column of Object.keys(row)) if (/(^|_)(actor_id|person_id|updated_by|granted_by|created_by)$/.test(column)) personColumns.add(column);
      const names = voters.some((v) => Object.values(row).some((value) => typeof value === 'string' && (value.includes(v.userId) || value.includes(v.displayName))));
      const ids = voters.some((v) => [...personColumns].some((column) => row[column] === v.personId) || (name === 'people' && row.id === v.personId));
      if (names || ids) found.push({ table: name, row });
    }
  }
  return found;
}

describe('the weekly poll schedule', () => {
  const stores: Store[] = [];
  const schedulers: JobScheduler[] = [];
  const logger = createLogger('silent');
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) await scheduler.stop();
    for (const store of stores.splice(0)) await store.close();
  });

  /** One "process": its own connection to the shared file, its own services and scheduler. */
  async function process(url: string, clock: ManualClock, holder: string, followClock = false): Promise<{ services: Services; scheduler: JobScheduler }> {
    const store = await openTestStore(url);
    if (store.kind === 'sqlite') await store.dataSource.query('PRAGMA busy_timeout = 0');
    stores.push(store);
    const services = createServices({ store, clock, timeZone: 'Europe/Berlin', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { feedback_channel: 'slack:CFEEDBACK' }, pollSecret: TEST_POLL_SECRET });
    const scheduler = new JobScheduler({ store, clock, logger, metrics: new Metrics(), holder, timezone: 'Europe/Berlin', followClock });
    for (const job of feedbackJobs(services.feedback, logger)) if (job.name === 'feedback-weekly-poll') scheduler.add(job);
    schedulers.push(scheduler);
    return { services, scheduler };
  }

  const slots = async (store: Store | undefined) =>
    ((await store?.manager.find(FeedbackPoll, { order: { id: 'ASC' } })) ?? []).map((p) => p.slot?.toISOString() ?? null);

  it('posts one poll per schedule fire across two processes and a restart, and follows a changed schedule', async () => {
    const url = await freshTestDatabase();
    // Monday 2026-11-30 10:00 in Berlin is 09:00 UTC.
    const clock = new ManualClock(new Date('2026-11-30T08:55:00Z'));
    const a = await process(url, clock, 'proc-a');
    const b = await process(url, clock, 'proc-b');
    const everyMinute = async (from: string, minutes: number, procs: { scheduler: JobScheduler }[]) => {
      for (let i = 0; i < minutes; i++) {
        const fire = new Date(new Date(from).getTime() + i * MINUTE);
        clock.set(new Date(fire.getTime() + 250));
        const ran = await Promise.all(procs.map((p, n) => p.scheduler.runDue('feedback-weekly-poll', new Date(fire.getTime() + n * 3))));
        expect(ran.filter(Boolean)).toHaveLength(1);
      }
    };

    await everyMinute('2026-11-30T08:55:00Z', 20, [a, b]);
    expect(await slots(stores[0])).toEqual(['2026-11-30T09:00:00.000Z']);
    const poll = await stores[0]?.manager.findOneByOrFail(FeedbackPoll, { id: 1 });
    expect(poll?.closesAt.toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(await stores[0]?.manager.count(OutboxMessage, { where: { messageKey: 'poll:1', targetId: 'CFEEDBACK' } })).toBe(1);

    // Process A goes away and comes back within the hour: its first look covers the last hour, finds the slot taken.
    await a.scheduler.stop();
    const restarted = await process(url, clock, 'proc-a2');
    await everyMinute('2026-11-30T09:15:00Z', 10, [restarted, b]);
    expect(await slots(stores[0])).toEqual(['2026-11-30T09:00:00.000Z']);

    await everyMinute('2026-12-07T08:58:00Z', 4, [restarted, b]);
    expect(await slots(stores[0])).toEqual(['2026-11-30T09:00:00.000Z', '2026-12-07T09:00:00.000Z']);

    // A changed schedule applies at the next minute, without a restart: Tuesdays 09:30 Berlin.
    await restarted.services.settings.set(await restarted.services.people.resolve({ platform: 'shell', userId: 'admin', displayName: 'admin' }), 'poll_schedule', '30 9 * * 2');
    await everyMinute('2026-12-08T08:28:00Z', 4, [restarted, b]);
    expect(await slots(stores[0])).toEqual(['2026-11-30T09:00:00.000Z', '2026-12-07T09:00:00.000Z', '2026-12-08T08:30:00.000Z']);
  });

  it('posts it once when two clock-following schedulers pass the schedule minute', async () => {
    const url = await freshTestDatabase();
    const clock = new ManualClock(new Date('2026-12-14T08:50:00Z'));
    const a = await process(url, clock, 'proc-a', true);
    const b = await process(url, clock, 'proc-b', true);
    a.scheduler.start();
    b.scheduler.start();
    clock.advance(20 * MINUTE);
    const deadline = Date.now() + 15_000;
    while ((await slots(stores[0])).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Let both finish following to the current minute before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await slots(stores[0])).toEqual(['2026-12-14T09:00:00.000Z']);
  });
});
