import { ClockFile } from '../helpers/clock-file.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { TEST_DATABASE, TEST_POLL_SECRET, freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-feedback-signing-secret-0123';
const FAULTS = 'C0FAULTS';
const FEEDBACK = 'C0FEEDBACK';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const VOTERS: SlackUser[] = [
  { id: 'U0VOTERA', name: 'amara' },
  { id: 'U0VOTERB', name: 'bruno' },
  { id: 'U0VOTERC', name: 'chen' },
];
// Tuesday 2026-12-08 09:00 UTC: a day on reaches neither the Monday poll nor the first of a month.
const START = new Date('2026-12-08T09:00:00.000Z');
const DAY = 86_400_000;

function textOf(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

describe('feedback end to end on the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  const clock = new ClockFile(START.toISOString());
  const setClock = (date: Date) => clock.set(date.toISOString());

  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };
  const ephemeralsFor = (user: SlackUser) => fake.ephemerals.filter((e) => e.user === user.id).map((e) => textOf(e));
  const survey = () => dmsTo(ANNA).find((m) => m.text.includes('How satisfied are you with how INC-1 was handled?'));
  const poll = () => fake.messagesIn(FEEDBACK).find((m) => textOf(m).includes('Feedback poll'));

  beforeAll(async () => {
    setClock(START);
    fake = await FakeSlackServer.start();
    bot = new BotProcess({
      DATABASE_URL: await freshTestDatabase('opsdesk-slack-feedback-'),
      // PostgreSQL has no key file beside the database: the poll key comes from the environment.
      ...(TEST_DATABASE === 'postgres' ? { POLL_SECRET: TEST_POLL_SECRET } : {}),
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      FEEDBACK_CHANNEL: `slack:${FEEDBACK}`,
      OPSDESK_CLOCK_FILE: clock.path,
      // The most talkative level, so that the anonymity check below also covers the SDK's request logs.
      LOG_LEVEL: 'debug',
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('asks the reporter of a resolved fault for a rating, shows the choice in the DM and takes a comment', async () => {
    await driver.slashCommand({ command: '/ops', text: `role add <@${LI_WEI.id}|${LI_WEI.name}> engineer`, user: ADMIN });
    await driver.slashCommand({ command: '/fault', user: ANNA });
    await driver.submitView({
      values: { title: 'Mail server unreachable', description: 'Nobody on floor 3 can send mail', category: 'network', impact: '1', urgency: '2', affectedSystem: 'mail-01' },
      user: ANNA,
    });
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1')), 5_000);
    await driver.clickButton({ channelId: FAULTS, ts: card.ts, actionId: 'fault.ack', user: LI_WEI });
    await fake.waitFor(() => (fake.message(FAULTS, card.ts)?.version === 2 ? true : undefined), 5_000);
    await driver.clickButton({ channelId: FAULTS, ts: card.ts, actionId: 'fault.resolve', user: LI_WEI });
    const resolveForm = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'fault.resolve'), 5_000);
    await driver.submitView({ view: resolveForm, values: { rootCause: 'Expired TLS certificate', resolutionSteps: 'Renewed it' }, user: LI_WEI });

    const asked = await fake.waitFor(survey, 5_000);
    expect(textOf(asked)).toContain('INC-1 · Mail server unreachable');
    await new Promise((r) => setTimeout(r, 400));
    expect(dmsTo(ANNA).filter((m) => m.text.includes('How satisfied'))).toHaveLength(1);

    const click = await driver.clickButton({ channelId: asked.channel, ts: asked.ts, actionId: 'feedback.rate~4', user: ANNA });
    expect(click.status).toBe(200);
    expect(click.problems).toEqual([]);
    const rated = await fake.waitFor(() => (textOf(survey()).includes('🙂 4 · Satisfied') ? survey() : undefined), 5_000);
    expect(rated.ts).toBe(asked.ts);
    expect(rated.version).toBe(2);
    const form = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'feedback.comment'), 5_000);
    const saved = await driver.submitView({ view: form, values: { comment: 'Fixed within the hour, thank you!' }, user: ANNA });
    expect(saved.status).toBe(200);
    expect(saved.problems).toEqual([]);
    const commented = await fake.waitFor(() => (textOf(survey()).includes('Fixed within the hour') ? survey() : undefined), 5_000);
    expect(commented.ts).toBe(asked.ts);
    expect(textOf(commented)).toContain('🙂 4 · Satisfied');
  });

  it('runs an anonymous poll: an admin posts it, three people vote (one changes), and it closes with the right result', async () => {
    const refused = await driver.slashCommand({ command: '/feedback', text: 'poll', user: ANNA });
    expect(JSON.stringify(refused.json)).toContain('needs the admin role');
    // One day instead of the default three: the bot fires every minute the clock file jumps over, and fewer is faster.
    const set = await driver.slashCommand({ command: '/ops', text: 'config set poll_days 1', user: ADMIN });
    expect(JSON.stringify(set.json)).toContain('poll_days is now 1.');
    const posted = await driver.slashCommand({ command: '/feedback', text: 'poll', user: ADMIN });
    expect(posted.problems).toEqual([]);
    expect(JSON.stringify(posted.json)).toContain('Poll posted to the feedback channel; it closes at 2026-12-09 09:00.');
    const open = await fake.waitFor(poll, 5_000);
    expect(textOf(open)).toContain('How satisfied were you with IT services this week?');
    expect(textOf(open)).not.toMatch(/█|░|Votes/);

    const vote = (user: SlackUser, choice: number) =>
      driver.clickButton({ channelId: FEEDBACK, ts: open.ts, actionId: choice === 1 ? 'feedback.vote' : `feedback.vote~${choice}`, user });
    const [amara, bruno, chen] = VOTERS as [SlackUser, SlackUser, SlackUser];
    // Clicks are answered after the ack: wait for each answer, so that Bruno's change comes after his first vote.
    for (const [user, choice] of [[amara, 4], [bruno, 2], [chen, 3], [bruno, 5]] as const) {
      const before = ephemeralsFor(user).length;
      const answer = await vote(user, choice);
      expect(answer.problems).toEqual([]);
      await fake.waitFor(() => (ephemeralsFor(user).length > before ? true : undefined), 5_000);
    }
    for (const user of VOTERS) {
      expect(ephemeralsFor(user).every((t) => t.includes('your vote is counted anonymously'))).toBe(true);
      for (const text of ephemeralsFor(user)) expect(text).not.toMatch(/[😞🙁😐🙂😄]/u);
    }
    expect(poll()?.version).toBe(1);

    setClock(new Date(START.getTime() + DAY + 6 * 60_000));
    const closed = await fake.waitFor(() => (poll()?.version === 2 ? poll() : undefined), 120_000);
    const result = textOf(closed);
    expect(result).toContain('Feedback poll: results');
    expect(result).toContain('😄 5  ███░░░░░░░  1 (33%)');
    expect(result).toContain('🙂 4  ███░░░░░░░  1 (33%)');
    expect(result).toContain('😐 3  ███░░░░░░░  1 (33%)');
    expect(result).toContain('🙁 2  ░░░░░░░░░░  0 (0%)');
    expect(result).toContain('*Votes*\\n3');
    expect(result).toContain('*Average*\\n4.0 / 5');
    expect(result).not.toContain('"actions"');
    const summary = await fake.waitFor(() => fake.messagesIn(FEEDBACK).find((m) => m.text.startsWith('Poll closed')), 5_000);
    expect(summary.text).toBe('Poll closed: "How satisfied were you with IT services this week?": 3 votes, average 4.0 / 5, 67% satisfied (4-5).');

    // Nothing the bot logged (at debug level) names a voter next to a vote.
    const lines = bot.stderr.split('\n');
    // Not vacuous: at debug level the SDK logs the private answers, which name the voter.
    expect(lines.some((l) => l.includes(amara.id))).toBe(true);
    for (const user of VOTERS) {
      for (const line of lines.filter((l) => l.includes(user.id))) expect(line).not.toMatch(/feedback\.vote|"value":"\d+:[1-5]"|[😞🙁😐🙂😄]/u);
    }
  }, 180_000);
});

