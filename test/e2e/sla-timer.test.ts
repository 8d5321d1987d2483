import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { ClockFile } from '../helpers/clock-file.js';
import { freshTestDatabase } from '../helpers/db.js';
import { queryDatabase } from '../helpers/db-query.js';

const SIGNING_SECRET = 'e2e-sla-timer-signing-secret-0123';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const SAM: SlackUser = { id: 'U0SAM', name: 'sam' };

interface NoticeRow {
  kind: string;
  step: number;
  due_at: string;
  sent_at: string;
}

/**
 * Issue #9 item 6: reminders and escalations go out within 5 s of their due time, not at the next
 * minute sweep. The clock file is moved to just past each due time without crossing a minute, so
 * only the reminder timer can be what sends them.
 */
describe('SLA reminders on time (reminder timer, clock file)', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  let dbUrl: string;
  const clock = new ClockFile('2026-11-23T10:00:00.000Z');

  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };
  const sweptAt = (iso: string) => bot.waitForLog(new RegExp(`"job":"sla-sweep","fire":"${iso.replace(/\./g, '\\.')}"`), 20_000);
  const notices = (): Promise<NoticeRow[]> => queryDatabase<NoticeRow>(dbUrl, 'SELECT kind, step, due_at, sent_at FROM sla_notices ORDER BY id');
  const command = async (user: SlackUser, name: string, text = '') => {
    const answer = await driver.slashCommand({ command: name, text, user });
    expect(answer.problems).toEqual([]);
    return JSON.stringify(answer.json);
  };

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    const url = await freshTestDatabase('opsdesk-sla-timer-e2e-');
    dbUrl = url;
    bot = new BotProcess({
      DATABASE_URL: url,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      TZ_NAME: 'UTC',
      OPSDESK_CLOCK_FILE: clock.path,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
  }, 150_000);
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('sends the 50 % reminder of a P1 reported at 10:00:20 at 10:07:50, and escalates at 10:15:20', async () => {
    for (const engineer of [LI_WEI, SAM]) expect(await command(ADMIN, '/ops', `role add <@${engineer.id}|${engineer.name}> engineer`)).toContain('is now engineer');
    expect(await command(ADMIN, '/oncall', `rotation set primary <@${LI_WEI.id}|${LI_WEI.name}>`)).toContain('Primary rotation');
    expect(await command(ADMIN, '/oncall', `rotation set secondary <@${SAM.id}|${SAM.name}>`)).toContain('Secondary rotation');

    clock.set('2026-11-23T10:00:20.000Z');
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const submitted = await driver.submitView({
      values: { title: 'Mail server down', description: 'Nobody can send mail', category: 'network', impact: '1', urgency: '1', affectedSystem: 'mail-01' },
      user: ANNA,
    });
    expect(submitted.problems).toEqual([]);
    await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1')), 5_000);

    // Response target 15 min: 50 % falls due at 10:07:50. Every minute sweep up to 10:07 finds nothing.
    clock.set('2026-11-23T10:07:45.000Z');
    await sweptAt('2026-11-23T10:07:00.000Z');
    await new Promise((r) => setTimeout(r, 500));
    expect(dmsTo(LI_WEI).filter((m) => m.text.startsWith('⏰'))).toHaveLength(0);

    // Past the due time, still inside the same minute: no sweep fires, the timer must.
    clock.set('2026-11-23T10:07:52.000Z');
    const reminder = await fake.waitFor(() => dmsTo(LI_WEI).find((m) => m.text.startsWith('⏰')), 5_000);
    expect(reminder.text).toContain('INC-1 (P1): the response is due by 10:15');
    const [first] = await notices();
    expect(first).toMatchObject({ kind: 'remind', step: 0 });
    expect(first?.due_at).toBe('2026-11-23T10:07:50.000Z');
    expect(Date.parse(first?.sent_at ?? '') - Date.parse(first?.due_at ?? '')).toBeLessThanOrEqual(5_000);

    // 75 % at 10:11:35 and 90 % at 10:13:50.
    clock.set('2026-11-23T10:11:37.000Z');
    await fake.waitFor(() => (dmsTo(LI_WEI).filter((m) => m.text.startsWith('⏰')).length === 2 ? true : undefined), 5_000);
    clock.set('2026-11-23T10:13:52.000Z');
    await fake.waitFor(() => (dmsTo(LI_WEI).filter((m) => m.text.startsWith('⏰')).length === 3 ? true : undefined), 5_000);

    // The breach at 10:15:20 escalates to the secondary, again without waiting for 10:16.
    clock.set('2026-11-23T10:15:10.000Z');
    await sweptAt('2026-11-23T10:15:00.000Z');
    expect(dmsTo(SAM).filter((m) => m.text.startsWith('🚨'))).toHaveLength(0);
    clock.set('2026-11-23T10:15:23.000Z');
    const escalation = await fake.waitFor(() => dmsTo(SAM).find((m) => m.text.startsWith('🚨')), 5_000);
    expect(escalation.text).toContain('Escalation to you as Secondary: INC-1 (P1)');
    const rows = await notices();
    for (const row of rows) expect(Date.parse(row.sent_at) - Date.parse(row.due_at), JSON.stringify(row)).toBeLessThanOrEqual(5_000);
    expect(rows.filter((r) => r.kind === 'escalate')).toHaveLength(1);
    expect(rows.filter((r) => r.kind === 'remind').map((r) => r.due_at)).toEqual(['2026-11-23T10:07:50.000Z', '2026-11-23T10:11:35.000Z', '2026-11-23T10:13:50.000Z']);
  });
});
