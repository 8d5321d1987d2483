import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const SAM: SlackUser = { id: 'U0SAM', name: 'sam' };

const REPORT = { title: 'Mail server unreachable', description: 'Nobody on floor 3 can send mail since 08:50', category: 'network', impact: '1', urgency: '2', affectedSystem: 'mail-01' };

/** Everything a Block Kit message says, as one string, to assert on what people see. */
function textOf(message: { text: string; blocks: unknown[] } | undefined): string {
  return message ? `${message.text}\n${JSON.stringify(message.blocks)}` : '';
}

function buttonIds(message: StoredMessage | undefined): string[] {
  const ids: string[] = [];
  for (const block of message?.blocks ?? []) {
    const elements = (block as { type?: string; elements?: { action_id?: string }[] }).type === 'actions' ? (block as { elements: { action_id?: string }[] }).elements : [];
    for (const element of elements) if (element.action_id) ids.push(element.action_id);
  }
  return ids;
}

describe('the bot process against the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  let baseUrl: string;
  let databaseUrl: string;

  async function startBot(): Promise<void> {
    bot = new BotProcess({
      DATABASE_URL: databaseUrl,
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    baseUrl = `http://127.0.0.1:${port}`;
    driver = new SlackBotDriver({ fake, eventsUrl: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });
  }

  const card = () => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-1'));
  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };
  const ephemeralsFor = (user: SlackUser) => fake.ephemerals.filter((e) => e.user === user.id).map((e) => textOf(e));

  beforeAll(async () => {
    databaseUrl = await freshTestDatabase('opsdesk-slack-');
    fake = await FakeSlackServer.start();
    await startBot();
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { running: true, migrations: true, database: true, slack: true } });
    expect(await (await fetch(`${baseUrl}/metrics`)).text()).toContain('opsdesk_outbox_deliveries_total');
  });

  it('refuses forged and stale signatures with 401 and stores nothing', async () => {
    for (const signature of ['forged', 'stale', 'missing'] as const) {
      const answer = await driver.slashCommand({ command: '/ops', text: 'role add <@U0EVIL|evil> admin', user: ADMIN }, { signature });
      expect(answer.status).toBe(401);
      expect(answer.body).toBe('');
    }
    const list = await driver.slashCommand({ command: '/ops', text: 'role list', user: ADMIN });
    expect(JSON.stringify(list.json)).not.toContain('evil');
    expect(fake.callsTo('views.open')).toHaveLength(0);
  });

  it('lets the bootstrap admin grant the engineer role', async () => {
    for (const engineer of [LI_WEI, SAM]) {
      const answer = await driver.slashCommand({ command: '/ops', text: `role add <@${engineer.id}|${engineer.name}> engineer`, user: ADMIN });
      expect(answer.status).toBe(200);
      expect(answer.problems).toEqual([]);
      expect(JSON.stringify(answer.json)).toContain(`${engineer.name} is now engineer`);
    }
  });

  it('opens the report form, creates INC-1, announces it and DMs the reporter', async () => {
    const command = await driver.slashCommand({ command: '/fault', user: ANNA });
    expect(command.status).toBe(200);
    expect(command.problems).toEqual([]);
    expect(fake.lastView()?.view.callback_id).toBe('fault.report');

    const submitted = await driver.submitView({ values: REPORT, user: ANNA });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe('');
    await fake.waitFor(() => ephemeralsFor(ANNA).find((t) => t.includes('INC-1 (P2) is reported')), 5_000);

    const announced = await fake.waitFor(card, 5_000);
    expect(textOf(announced)).toContain('🟠 INC-1 · P2 · Mail server unreachable');
    expect(textOf(announced)).toContain('<@U0ANNA>');
    expect(buttonIds(announced)).toEqual(['fault.ack', 'fault.resolve', 'fault.reassign']);
    await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('We received your fault report INC-1')), 5_000);
  });

  it('refuses a requester clicking Acknowledge, privately, and changes nothing', async () => {
    const announced = card();
    if (!announced) throw new Error('no card');
    const click = await driver.clickButton({ channelId: FAULTS, ts: announced.ts, actionId: 'fault.ack', user: ANNA });
    expect(click.status).toBe(200);
    await fake.waitFor(() => ephemeralsFor(ANNA).find((t) => t.includes('Only engineers can acknowledge faults')), 5_000);
    expect(card()?.version).toBe(1);
  });

  it('acknowledges once on a double click, updating the card in place and telling the second click who was first', async () => {
    const announced = card();
    if (!announced) throw new Error('no card');
    const clicks = await Promise.all([
      driver.clickButton({ channelId: FAULTS, ts: announced.ts, actionId: 'fault.ack', user: LI_WEI }),
      driver.clickButton({ channelId: FAULTS, ts: announced.ts, actionId: 'fault.ack', user: LI_WEI }),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    expect(clicks.flatMap((c) => c.problems)).toEqual([]);
    await fake.waitFor(() => ephemeralsFor(LI_WEI).find((t) => t.includes('INC-1 was already acknowledged by li.wei')), 5_000);
    const updated = await fake.waitFor(() => (card()?.version === 2 ? card() : undefined), 5_000);
    expect(textOf(updated)).toContain('Acknowledged by <@U0LIWEI>');
    expect(buttonIds(updated)).toEqual(['fault.start', 'fault.resolve', 'fault.wait', 'fault.reassign']);
    await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('<@U0LIWEI> acknowledged INC-1')), 5_000);

    const show = await driver.slashCommand({ command: '/fault', text: 'show INC-1', user: ANNA });
    expect(JSON.stringify(show.json).match(/li\.wei: acknowledged/g)).toHaveLength(1);
    expect(fake.messagesIn(FAULTS)).toHaveLength(1);
  });

  it('continues where it was after a restart: resolve needs a root cause, then the card and the reporter are updated', async () => {
    expect(await bot.stop()).toBe(0);
    await startBot();

    const announced = card();
    if (!announced) throw new Error('no card');
    const click = await driver.clickButton({ channelId: FAULTS, ts: announced.ts, actionId: 'fault.resolve', user: LI_WEI });
    expect(click.problems).toEqual([]);
    const form = await fake.waitFor(() => fake.views.find((v) => v.view.callback_id === 'fault.resolve'), 5_000);

    const empty = await driver.submitView({ view: form, values: { rootCause: '   ', resolutionSteps: 'Renewed the certificate' }, user: LI_WEI });
    expect(empty.problems).toEqual([]);
    expect(empty.json).toEqual({ response_action: 'errors', errors: { rootCause: 'This field is required.' } });
    expect(card()?.version).toBe(2);

    const done = await driver.submitView({ view: form, values: { rootCause: 'Expired TLS certificate', resolutionSteps: 'Renewed the certificate and reloaded postfix' }, user: LI_WEI });
    expect(done.status).toBe(200);
    expect(done.body).toBe('');
    const resolved = await fake.waitFor(() => (card()?.version === 3 ? card() : undefined), 5_000);
    expect(textOf(resolved)).toContain('✅ INC-1 · P2 · Mail server unreachable');
    expect(textOf(resolved)).toContain('Expired TLS certificate');
    expect(buttonIds(resolved)).toEqual([]);
    const dm = await fake.waitFor(() => dmsTo(ANNA).find((m) => m.text.includes('INC-1 is resolved by <@U0LIWEI>')), 5_000);
    expect(buttonIds(dm)).toEqual(['fault.close', 'fault.reopen']);
    expect(fake.messagesIn(FAULTS)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After and then posts the announcement exactly once', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const submitted = await driver.submitView({ values: { ...REPORT, title: 'Printer on fire', impact: '3', urgency: '3' }, user: ANNA });
    expect(submitted.status).toBe(200);
    const posted = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => m.text.includes('INC-2')), 8_000);
    const limited = fake.callsTo('chat.postMessage').find((c) => c.status === 429);
    expect(limited).toBeDefined();
    // Messages to different conversations go out side by side (src/outbox/lanes.ts): the 429 may hit
    // the announcement or another post in flight (the DM to the reporter, the survey of INC-1). That
    // one is posted once more, after Retry-After, and only then.
    const retriesOf = () => fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.body.channel === limited?.body.channel && c.body.text === limited?.body.text);
    const [retried] = await fake.waitFor(() => (retriesOf().length > 0 ? retriesOf() : undefined), 8_000);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(textOf(posted)).toContain('INC-2 · P4 · Printer on fire');
    await new Promise((r) => setTimeout(r, 500));
    expect(retriesOf()).toHaveLength(1);
    expect(fake.messagesIn(FAULTS).filter((m) => m.text.includes('INC-2'))).toHaveLength(1);
  });
});
