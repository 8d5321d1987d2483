import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { AlertmanagerProcess } from '../helpers/alertmanager.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';
import { queryDatabase } from '../helpers/db-query.js';

const SIGNING_SECRET = 'e2e-monitoring-signing-secret-0123';
const TOKEN = 'e2e-webhook-token-0123456789abcdef';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };

function textOf(message: StoredMessage | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

/**
 * The monitoring hooks against a REAL Alertmanager (Debian's 0.25): the test posts alerts to its API,
 * Alertmanager groups them and calls the bot's /hooks/alertmanager with a bearer token, and the bot
 * announces faults on the fake Slack server and pages the on-call engineer.
 */
describe('Alertmanager -> opsdesk end to end', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let am: AlertmanagerProcess;
  let driver: SlackBotDriver;
  let dbUrl: string;
  let hookUrl: string;

  const faultRows = (titleLike: string) =>
    queryDatabase<{ id: number; title: string; state: string; priority: string }>(dbUrl, 'SELECT id, title, state, priority FROM faults WHERE title LIKE $1 ORDER BY id', [titleLike]);
  const card = (id: number) => fake.messagesIn(FAULTS).find((m) => m.text.includes(`INC-${id} `));
  const command = async (user: SlackUser, name: string, text: string) => {
    const answer = await driver.slashCommand({ command: name, text, user });
    expect(answer.problems).toEqual([]);
    return JSON.stringify(answer.json);
  };
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    const url = await freshTestDatabase('opsdesk-monitoring-e2e-');
    dbUrl = url;
    bot = new BotProcess({
      DATABASE_URL: url,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      WEBHOOK_TOKEN: TOKEN,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    driver = new SlackBotDriver({ fake, eventsUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET });
    hookUrl = `http://127.0.0.1:${port}/hooks/alertmanager`;
    am = await AlertmanagerProcess.start({ webhookUrl: hookUrl, token: TOKEN });
  }, 150_000);
  afterAll(async () => {
    await am?.stop();
    await bot?.kill();
    await fake?.stop();
  });

  it('groups alerts into one fault, announces it and pages the on-call primary with Acknowledge', async () => {
    expect(await command(ADMIN, '/ops', `role add <@${LI_WEI.id}|${LI_WEI.name}> engineer`)).toContain('is now engineer');
    expect(await command(ADMIN, '/oncall', `rotation set primary <@${LI_WEI.id}|${LI_WEI.name}>`)).toContain('Primary rotation');
    await am.post([
      { labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db1:9100' }, annotations: { summary: 'Disk /var is 97% full & growing <fast>' }, startsAt: now() },
      { labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db2:9100' }, annotations: { summary: 'Disk /var is 95% full' }, startsAt: now() },
    ]);
    const rows = await bot.waitFor(async () => {
      const found = await faultRows('DiskFull');
      return found.length > 0 ? found : undefined;
    }, 'a DiskFull fault', 20_000);
    expect(rows).toHaveLength(1);
    const id = rows[0]?.id ?? -1;
    expect(rows[0]?.priority).toBe('P1');
    const announced = await fake.waitFor(() => (textOf(card(id)).includes('Alerts: 2 firing') ? card(id) : undefined), 20_000);
    // Alertmanager sends & < > as \u0026 \u003c \u003e; they arrive as the characters.
    expect(textOf(announced)).toMatch(/97% full (&|&amp;) growing/);
    expect(textOf(announced)).toContain('Disk /var is 95% full');
    const dm = await fake.waitFor(() => fake.dmChannelOf(LI_WEI.id), 10_000);
    const page = await fake.waitFor(() => fake.messagesIn(dm).find((m) => m.text.includes(`You are on call: INC-${id} (P1)`)), 10_000);
    const ack = await driver.clickButton({ channelId: dm, ts: page.ts, actionId: 'fault.ack', user: LI_WEI });
    expect(ack.problems).toEqual([]);
    await fake.waitFor(() => (textOf(card(id)).includes('Acknowledged by <@U0LIWEI>') ? true : undefined), 10_000);
  }, 60_000);

  it('resolves an unacknowledged fault when Alertmanager sends its alerts resolved', async () => {
    const startsAt = now();
    const alert = { labels: { alertname: 'HighLoad', severity: 'warning', instance: 'app1:9100' }, annotations: { summary: 'load 12' }, startsAt };
    await am.post([alert]);
    const id = (await bot.waitFor(async () => (await faultRows('HighLoad'))[0], 'a HighLoad fault', 20_000)).id;
    expect((await faultRows('HighLoad'))[0]?.priority).toBe('P3');
    await am.post([{ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await bot.waitFor(async () => ((await faultRows('HighLoad'))[0]?.state === 'resolved' ? true : undefined), 'HighLoad resolved', 20_000);
    await fake.waitFor(() => (textOf(card(id)).includes('alert cleared') ? true : undefined), 15_000);
    expect(await faultRows('HighLoad')).toHaveLength(1);
  }, 60_000);

  it('turns a storm of 1,000 alerts in 10 groups into 10 faults with a bounded number of chat calls', async () => {
    const callsBefore = fake.calls.length;
    const started = Date.now();
    for (let batch = 0; batch < 10; batch++) {
      const alerts = [];
      for (let g = 0; g < 10; g++) {
        for (let i = 0; i < 10; i++) alerts.push({ labels: { alertname: `Storm${g}`, severity: 'error', instance: `host${batch * 10 + i}:9100` }, startsAt: now() });
      }
      await am.post(alerts);
      await new Promise((r) => setTimeout(r, 300));
    }
    // Every group's fault lists all 100 alerts once the last coalesced edit went out.
    await bot.waitFor(async () => ((await faultRows('Storm%')).length === 10 ? true : undefined), '10 storm faults', 30_000);
    const ids = (await faultRows('Storm%')).map((r) => r.id);
    for (const id of ids) await fake.waitFor(() => (textOf(card(id)).includes('Alerts: 100 firing') ? true : undefined), 40_000);
    const elapsedS = (Date.now() - started) / 1000;
    const calls = fake.calls.slice(callsBefore).filter((c) => c.method.startsWith('chat.') || c.method === 'conversations.open');
    // Per fault: the announcement, the page (and its conversations.open), and at most one edit per 10 s.
    const bound = ids.length * (3 + Math.ceil(elapsedS / 10) + 1);
    expect(calls.length).toBeLessThanOrEqual(bound);
    for (const id of ids) {
      const ts = card(id)?.ts;
      const edits = fake.calls.filter((c) => c.method === 'chat.update' && c.body.ts === ts).map((c) => c.at);
      for (let i = 1; i < edits.length; i++) expect((edits[i] ?? 0) - (edits[i - 1] ?? 0)).toBeGreaterThanOrEqual(9_500);
    }
    expect(await faultRows('Storm%')).toHaveLength(10);
    process.stdout.write(`storm: ${calls.length} chat calls for 10 faults in ${elapsedS.toFixed(1)} s (bound ${bound})\n`);
  }, 120_000);

  it('keeps a fault open with a notice when every listed alert resolved but max_alerts left some out', async () => {
    // A second Alertmanager whose webhook lists at most 2 alerts per notification.
    const capped = await AlertmanagerProcess.start({ webhookUrl: hookUrl, token: TOKEN, maxAlerts: 2 });
    try {
      const startsAt = now();
      const alerts = [1, 2, 3, 4].map((i) => ({ labels: { alertname: 'Capped', severity: 'warning', instance: `cap${i}:9100` }, annotations: { summary: `cap${i}` }, startsAt }));
      await capped.post(alerts);
      const id = (await bot.waitFor(async () => (await faultRows('Capped'))[0], 'a Capped fault', 20_000)).id;
      await fake.waitFor(() => (textOf(card(id)).includes('and 2 more not listed') ? true : undefined), 20_000);
      await capped.post(alerts.map((a) => ({ ...a, endsAt: new Date(Date.now() - 1000).toISOString() })));
      const notes = () => queryDatabase<{ kind: string; note: string }>(dbUrl, "SELECT kind, note FROM record_events WHERE record_kind = 'fault' AND record_id = $1 AND kind LIKE 'alert_%' ORDER BY id", [id]);
      await bot.waitFor(async () => ((await notes()).some((n) => n.kind === 'alert_cleared_truncated') ? true : undefined), 'the cleared-but-truncated notice', 20_000);
      expect((await notes()).filter((n) => n.kind === 'alert_truncated' || n.kind === 'alert_cleared_truncated')).toEqual([
        { kind: 'alert_truncated', note: '2' },
        { kind: 'alert_cleared_truncated', note: '2' },
      ]);
      expect((await faultRows('Capped'))[0]?.state).toBe('reported');
      await fake.waitFor(() => (textOf(card(id)).includes('Every listed alert has resolved, but 2 were not listed') ? true : undefined), 25_000);
      expect(await capped.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
    } finally {
      await capped.stop();
    }
  }, 90_000);

  it('never made Alertmanager fail a notification', async () => {
    expect(await am.metric('alertmanager_notifications_total', { integration: 'webhook' })).toBeGreaterThan(0);
    expect(await am.metric('alertmanager_notifications_failed_total', { integration: 'webhook' })).toBe(0);
  });
});
