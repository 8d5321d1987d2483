// Replicas (issue #15 item 2): three bot processes on one PostgreSQL schema, Slack in HTTP mode,
// requests spread across them as a load balancer would. One replica is SIGKILLed in the middle of
// an alert storm and another in the middle of a reminder sweep; afterwards nothing is lost and nothing
// is doubled: one fault per alert group, every alert stored once, every message at the fake Slack
// once; concurrent approvals of one change count once each; every scheduled fire runs once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackServer, SlackBotDriver, type SlackUser, type StoredMessage } from '../fakes/slack/index.js';
import { amBody } from '../helpers/alerts.js';
import { BotProcess } from '../helpers/bot-process.js';
import { ClockFile } from '../helpers/clock-file.js';
import { queryDatabase } from '../helpers/db-query.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';
import { ReportSchedules } from '../../src/reports/schedule-state.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';

const SIGNING_SECRET = 'e2e-replicas-signing-secret-0123';
const TOKEN = 'replicas-webhook-token-0123456789';
const FAULTS = 'C0FAULTS';
const CHANGES = 'C0CHANGES';
const MANAGEMENT = 'C0MGMT';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const LI_WEI: SlackUser = { id: 'U0LIWEI', name: 'li.wei' };
const RITA: SlackUser = { id: 'U0RITA', name: 'rita' };
const ANN: SlackUser = { id: 'U0ANN', name: 'ann' };
const BOB: SlackUser = { id: 'U0BOB', name: 'bob' };
/** Alert groups in the storm, and alerts per group. */
const GROUPS = 24;
const PER_GROUP = 3;
/** Monday 08:50 UTC: the storm's P1 faults are due a reminder at 08:57:30 (50 % of 15 min) and the weekly report fires at 09:00. */
const START = '2026-11-23T08:50:00.000Z';

const CHANGE = {
  title: 'Rotate the VPN certificates',
  type: 'normal',
  risk: 'medium',
  content: 'New certificates on vpn-01 and vpn-02',
  reason: 'The current ones expire on Friday',
  expectedImpact: 'Clients reconnect once',
  testPlan: 'Connect from a test client after each node',
  rollbackPlan: 'Put the old certificates back',
  windowStart: '2026-11-23 15:00',
  windowEnd: '2026-11-23 16:00',
  configItems: 'vpn-01',
};

interface Replica {
  bot: BotProcess;
  baseUrl: string;
  driver: SlackBotDriver;
}

const count = (rows: { n: string }[]) => Number(rows[0]?.n ?? -1);

describe('three replicas on one PostgreSQL schema', () => {
  let fake: FakeSlackServer;
  let url: string;
  let drop: () => Promise<void>;
  const clock = new ClockFile(START);
  const replicas: Replica[] = [];
  /** Every process started, the killed ones too: their logs count for "ran once". */
  const everyBot: BotProcess[] = [];
  const live = () => replicas.filter((r) => r.bot.running);

  const env = () => ({
    DATABASE_URL: url,
    PORT: '0',
    SLACK_BOT_TOKEN: fake.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    ADMIN_USERS: `slack:${ADMIN.id}`,
    FAULT_CHANNEL: `slack:${FAULTS}`,
    CHANGE_CHANNEL: `slack:${CHANGES}`,
    MANAGEMENT_CHANNEL: `slack:${MANAGEMENT}`,
    WEBHOOK_TOKEN: TOKEN,
    POLL_SECRET: 'replicas-poll-secret-0123456789abcdef0123456789',
    TZ_NAME: 'UTC',
    OPSDESK_CLOCK_FILE: clock.path,
    // The shortest claim: a row a killed replica had claimed is taken over 5 s later.
    OUTBOX_CLAIM_SECONDS: '5',
  });

  async function startReplica(): Promise<Replica> {
    const bot = new BotProcess(env());
    everyBot.push(bot);
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/, 90_000))[1];
    await bot.waitForLog(/opsdesk started/, 30_000);
    const baseUrl = `http://127.0.0.1:${port}`;
    return { bot, baseUrl, driver: new SlackBotDriver({ fake, eventsUrl: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET }) };
  }

  /** Posts to replica `i` (of the live ones); a refused connection goes to the next one, as a load balancer retries. */
  async function postAlerts(i: number, body: unknown): Promise<number> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const targets = live();
      const target = targets[(i + attempt) % targets.length];
      if (!target) break;
      try {
        const res = await fetch(`${target.baseUrl}/hooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(body),
        });
        await res.text();
        if (res.status < 500) return res.status;
      } catch {
        // The replica died under the request: the balancer tries the next.
      }
    }
    throw new Error('no replica took the notification');
  }

  const command = async (replica: Replica | undefined, user: SlackUser, name: string, text: string) => {
    if (!replica) throw new Error('no replica');
    const answer = await replica.driver.slashCommand({ command: name, text, user });
    expect(answer.problems).toEqual([]);
    return JSON.stringify(answer.json);
  };
  const dmsTo = (user: SlackUser) => {
    const channel = fake.dmChannelOf(user.id);
    return channel ? fake.messagesIn(channel) : [];
  };
  const postsTo = (channel: string) => fake.callsTo('chat.postMessage').filter((c) => c.body.channel === channel && c.status === 200);
  const pendingOutbox = async () => count(await queryDatabase<{ n: string }>(url, "SELECT count(*)::text AS n FROM outbox WHERE status = 'pending'"));
  const faultIds = async () => (await queryDatabase<{ id: number }>(url, 'SELECT id FROM faults ORDER BY id')).map((r) => r.id);
  /** How many messages (in `messages`) name INC-id, for each fault. */
  const perFault = (ids: number[], messages: StoredMessage[]) => ids.map((id) => messages.filter((m) => m.text.includes(`INC-${id} `)).length);

  beforeAll(async () => {
    const created = await createSchema();
    drop = created.drop;
    url = `${POSTGRES_URL}?schema=${created.schema}`;
    fake = await FakeSlackServer.start();
    // The install is a week old: reports have been kept since before the week 11-16 – 11-22, so its
    // report is due at Monday's fire (a fresh install posts none for a week that ended before it).
    // Migrating here leaves the concurrent start-up on an empty schema to migration-lock.test.ts.
    const store = new Store(await openDatabase(url), url);
    await new ReportSchedules(store, 'UTC').startedAt(new Date('2026-11-15T12:00:00.000Z'));
    await store.manager.connection.destroy();
    // Three replicas starting at the same moment on one schema.
    replicas.push(...(await Promise.all([startReplica(), startReplica(), startReplica()])));
    const [first, second] = replicas;
    expect(await command(first, ADMIN, '/ops', `role add <@${LI_WEI.id}|${LI_WEI.name}> engineer`)).toContain('is now engineer');
    expect(await command(second, ADMIN, '/oncall', `rotation set primary <@${LI_WEI.id}|${LI_WEI.name}>`)).toContain('Primary rotation');
    for (const [i, user] of [ANN, BOB].entries()) {
      expect(await command(replicas[i], ADMIN, '/ops', `role add <@${user.id}|${user.name}> approver`)).toContain('is now approver');
    }
  }, 180_000);
  afterAll(async () => {
    for (const bot of everyBot) await bot.kill();
    await fake?.stop();
    await drop?.();
  });

  it('started at once on one schema, with each migration run once', async () => {
    const rows = await queryDatabase<{ name: string; n: string }>(url, 'SELECT name, count(*)::text AS n FROM migrations GROUP BY name');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.n !== '1')).toEqual([]);
  });

  it('alert storm across the replicas, one SIGKILLed in the middle: one fault per group, each alert and each card once', async () => {
    const bodies = Array.from({ length: GROUPS }, (_, g) =>
      amBody(
        `{}:{alertname="Storm${g}"}`,
        Array.from({ length: PER_GROUP }, (_, a) => ({
          name: `Storm${g}`,
          severity: 'critical',
          instance: `node${a}:9100`,
          fingerprint: `f${String(g).padStart(7, '0')}${String(a).padStart(8, '0')}`,
          startsAt: START,
        })),
      ),
    );
    // Alertmanager in HA sends each notification from both peers: every group goes to two replicas at once.
    const send = (g: number) => Promise.all([postAlerts(g, bodies[g]), postAlerts(g + 1, bodies[g])]);
    const firstHalf = await Promise.all(bodies.slice(0, GROUPS / 2).map((_, g) => send(g)));
    const secondHalf = Promise.all(bodies.slice(GROUPS / 2).map((_, g) => send(GROUPS / 2 + g)));
    // The third replica dies while the second half is arriving and its cards are being posted.
    await new Promise((r) => setTimeout(r, 30));
    await replicas[2]?.bot.kill();
    expect([...firstHalf, ...(await secondHalf)].flat().every((status) => status === 200)).toBe(true);
    // Time goes on past the dead replica's claims (OUTBOX_CLAIM_SECONDS; claims run on the bots' clock)
    // and past the moment its posts have settled at Slack: a row it claimed and had not posted is
    // looked up in the history and posted only then (OUTCOME_SETTLE_MS, settlesAt in src/outbox/retry.ts).
    clock.set('2026-11-23T08:50:40.000Z');
    // A replacement joins, as the orchestrator would start one.
    const replacement = startReplica();

    const survivor = live()[0];
    if (!survivor) throw new Error('no live replica');
    await survivor.bot.waitFor(async () => ((await faultIds()).length >= GROUPS && (await pendingOutbox()) === 0 ? true : undefined), 'every card sent', 60_000);
    const ids = await faultIds();
    expect(ids).toHaveLength(GROUPS);
    const groups = await queryDatabase<{ n: string }>(url, 'SELECT count(*)::text AS n FROM alert_groups');
    expect(count(groups)).toBe(GROUPS);
    const alerts = await queryDatabase<{ n: string; d: string }>(url, 'SELECT count(*)::text AS n, count(DISTINCT fingerprint)::text AS d FROM alerts');
    expect(alerts).toEqual([{ n: String(GROUPS * PER_GROUP), d: String(GROUPS * PER_GROUP) }]);
    // One card per fault in the channel, and Slack was asked to post it once (a row the killed replica
    // had posted was found in the history by its metadata, not posted again).
    expect(perFault(ids, fake.messagesIn(FAULTS))).toEqual(ids.map(() => 1));
    expect(postsTo(FAULTS)).toHaveLength(GROUPS);
    // The on-call primary was paged once per fault.
    const pages = dmsTo(LI_WEI).filter((m) => !m.text.startsWith('⏰'));
    expect(perFault(ids, pages)).toEqual(ids.map(() => 1));
    replicas.push(await replacement);
  }, 150_000);

  it('a reminder sweep with many due reminders, one replica SIGKILLed in the middle: every reminder DM once', async () => {
    const ids = await faultIds();
    const reminders = () => dmsTo(LI_WEI).filter((m) => m.text.startsWith('⏰'));
    expect(reminders()).toHaveLength(0);
    // 50 % of the P1 response target (15 min) after 08:50: every storm fault is due a reminder.
    clock.set('2026-11-23T08:57:31.000Z');
    const victim = live()[0];
    await fake.waitFor(() => (reminders().length > 0 ? true : undefined), 20_000);
    await victim?.bot.kill();
    // Past the victim's claims and the settling of its posts (as in the storm above).
    clock.set('2026-11-23T08:58:10.000Z');
    const survivor = live()[0];
    if (!survivor) throw new Error('no live replica');
    await survivor.bot.waitFor(async () => (reminders().length >= GROUPS && (await pendingOutbox()) === 0 ? true : undefined), 'every reminder sent', 60_000);
    expect(perFault(ids, reminders())).toEqual(ids.map(() => 1));
    const channel = fake.dmChannelOf(LI_WEI.id) ?? '';
    expect(postsTo(channel).filter((c) => String(c.body.text).startsWith('⏰'))).toHaveLength(GROUPS);
    const notices = await queryDatabase<{ n: string; d: string }>(url, "SELECT count(*)::text AS n, count(DISTINCT record_id)::text AS d FROM sla_notices WHERE kind = 'remind'");
    expect(notices).toEqual([{ n: String(GROUPS), d: String(GROUPS) }]);
  }, 120_000);

  it('concurrent approvals of one change sent to different replicas count once each', async () => {
    const [a, b] = live();
    if (!a || !b) throw new Error('two live replicas needed');
    // The form opens through one replica and is submitted through the other.
    await a.driver.slashCommand({ command: '/change', user: RITA });
    const submitted = await b.driver.submitView({ values: CHANGE, user: RITA });
    expect(submitted.problems).toEqual([]);
    const requestOf = (user: SlackUser) => fake.waitFor(() => dmsTo(user).find((m) => m.text.includes('CHG-1')), 10_000);
    const [annDm, bobDm] = await Promise.all([requestOf(ANN), requestOf(BOB)]);
    // Each approver clicks Approve twice, each click to another replica, all at the same moment.
    const clicks = await Promise.all(
      [annDm, bobDm].flatMap((dm, i) =>
        [a, b].map((replica) => replica.driver.clickButton({ channelId: dm.channel, ts: dm.ts, actionId: 'change.approve', user: i === 0 ? ANN : BOB })),
      ),
    );
    expect(clicks.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    const decisions = await a.bot.waitFor(
      async () => {
        const rows = await queryDatabase<{ decision: string; approver: string }>(
          url,
          "SELECT a.decision, p.display_name AS approver FROM change_approvals a JOIN people p ON p.id = a.approver_id ORDER BY p.display_name",
        );
        return rows.length >= 2 ? rows : undefined;
      },
      'two decisions',
      20_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(decisions).toEqual([
      { decision: 'approved', approver: 'ann' },
      { decision: 'approved', approver: 'bob' },
    ]);
    const state = await queryDatabase<{ state: string }>(url, 'SELECT state FROM changes');
    // Two approvals of two needed, with a window: the change is approved and so scheduled.
    expect(state).toEqual([{ state: 'scheduled' }]);
    await a.bot.waitFor(async () => ((await pendingOutbox()) === 0 ? true : undefined), 'messages sent', 20_000);
    expect(fake.messagesIn(CHANGES).filter((m) => m.text.includes('CHG-1'))).toHaveLength(1);
  }, 60_000);

  it('runs every scheduled fire once across the replicas: the weekly report is posted once', async () => {
    // Past 09:12:31: the replica SIGKILLed at 08:57:31 may have died inside a run of the report job,
    // whose lease (15 min: a report over a large database takes a while) holds that job until then, as
    // it would in production; the weekly report due at 09:00 is then posted by the next run after it.
    clock.set('2026-11-23T09:13:00.000Z');
    const [a] = live();
    if (!a) throw new Error('no live replica');
    // A scheduled report is shared with its chart through the upload flow: a file whose blocks carry the report.
    const weekly = () => fake.filesIn(MANAGEMENT).filter((f) => JSON.stringify(f.blocks).includes('Weekly operations report · 2026-11-16 – 2026-11-22'));
    // The chart is drawn (a worker thread) and uploaded before the share: slow when CI runs two files at once.
    await fake.waitFor(() => weekly()[0], 60_000);
    await a.bot.waitFor(async () => ((await pendingOutbox()) === 0 ? true : undefined), 'messages sent', 20_000);
    // The 09:00 SLA sweep has finished on some replica (the report can be quicker than it). The replica
    // killed at 08:57:31 may have died inside a sweep too: its one-minute lease expired at 08:58:31.
    const sweepDone = /"job":"sla-sweep","fire":"2026-11-23T09:00:00.000Z"[^\n]*"msg":"job run finished"/;
    await a.bot.waitFor(() => (everyBot.some((bot) => sweepDone.test(bot.stderr)) ? true : undefined), 'the 09:00 sweep', 30_000);
    // Give the other replicas' schedulers their chance at the same fires.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(weekly()).toHaveLength(1);
    // The catch-up at start-up (last month's reports) was posted once too, though three replicas started.
    const titles = [...fake.messagesIn(MANAGEMENT).map((m) => m.text), ...fake.filesIn(MANAGEMENT).map((f) => JSON.stringify(f.blocks))];
    // Named when it fails: which message went out twice.
    expect(titles.filter((title, i) => titles.indexOf(title) !== i).map((title) => title.slice(0, 300))).toEqual([]);
    const runs = new Map<string, number>();
    for (const bot of everyBot) {
      for (const match of bot.stderr.matchAll(/"job":"([^"]+)","fire":"([^"]+)"[^\n]*"msg":"job run finished"/g)) {
        const key = `${match[1]} ${match[2]}`;
        runs.set(key, (runs.get(key) ?? 0) + 1);
      }
    }
    expect(runs.get('sla-sweep 2026-11-23T09:00:00.000Z')).toBe(1);
    expect([...runs].filter(([, n]) => n !== 1)).toEqual([]);
    // Nothing gave up on the way: no message was dropped as undeliverable.
    expect(count(await queryDatabase<{ n: string }>(url, "SELECT count(*)::text AS n FROM outbox WHERE status = 'dead'"))).toBe(0);
  }, 120_000);
});
