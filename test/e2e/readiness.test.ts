import { connect, createServer, type Socket } from 'node:net';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordBotDriver, FakeDiscordServer, InteractionSigner } from '../fakes/discord/index.js';
import { FakeSlackServer, signSlackRequest } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { amBody } from '../helpers/alerts.js';
import { freshTestDatabase } from '../helpers/db.js';
import { queryDatabase } from '../helpers/db-query.js';
import { HOOK_TOKEN } from '../helpers/hooks.js';
import { postgresTarget } from '../../src/store/data-source.js';
import { MIGRATION_LOCK_KEY } from '../../src/store/migration-lock.js';

/** Takes the migration lock as another replica migrating would (src/store/migration-lock.ts); returns its release. */
async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  if (url.startsWith('sqlite:')) {
    const lock = new Database(`${url.slice('sqlite:'.length)}.migrate-lock`);
    lock.exec('BEGIN EXCLUSIVE');
    return async () => {
      lock.exec('ROLLBACK');
      lock.close();
    };
  }
  const target = postgresTarget(url);
  const client = new Client({ connectionString: target.url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, target.schema ?? 'public']);
  return async () => {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_KEY, target.schema ?? 'public']);
    await client.end();
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Connects, retrying every few ms until the port accepts (or the deadline passes). */
async function firstConnection(port: number, deadlineMs: number): Promise<Socket> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => resolve(undefined));
    });
    if (socket) return socket;
    if (Date.now() > deadline) throw new Error(`port ${port} never accepted a connection`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Writes one raw HTTP/1.1 request on the socket and returns the status code and body of the answer. */
function rawRequest(socket: Socket, method: string, path: string, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
    const headers = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  });
}

/**
 * Sends `body` to a platform route signed as the platform would: Slack's HMAC for /slack/events,
 * Discord's Ed25519 for /discord/interactions. Returns what the bot answered, headers included.
 */
async function signedPost(port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
}

/** The server's "try again" answer while starting (docs/deploy.md: 503 `{"error":"starting"}` with Retry-After). */
function expectStarting(answer: { status: number; body: string; headers: Record<string, string> }): void {
  expect(answer.status).toBe(503);
  expect(answer.body).toBe('{"error":"starting"}');
  expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'retry-after': '5' });
}

async function request(port: number, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body }) });
  return { status: res.status, body: await res.text() };
}

const SLACK_SIGNING_SECRET = 'readiness-signing-secret-0123456789';

/**
 * Issue #9 item 3: the platform routes exist before the port opens, and /readyz says 503 until every
 * configured adapter has connected. Discord is held back (its `GET /users/@me` does not answer) so
 * that the window between `listen` and "connected" is as long as the test wants; Slack's first
 * auth.test outlasts the bot's 10-second Web API timeout, so Slack connects about 12 s after the
 * migrations (its retry) and is still connecting while the first test looks.
 */
describe('ready means ready', () => {
  const signer = new InteractionSigner();
  let slack: FakeSlackServer;
  let discord: FakeDiscordServer;
  let bot: BotProcess;
  let port: number;
  let databaseUrl: string;
  let release: () => void;
  let releaseMigrationLock: (() => Promise<void>) | undefined;
  const driver = () => new DiscordBotDriver(discord, { kind: 'http', url: `http://127.0.0.1:${port}/discord/interactions`, signer });

  beforeAll(async () => {
    slack = await FakeSlackServer.start();
    discord = await FakeDiscordServer.start();
    release = discord.hold('GET /users/@me');
    slack.delayNext('auth.test', 15_000);
    port = await freePort();
    databaseUrl = await freshTestDatabase('opsdesk-readiness-');
    // Another replica "migrates" until the first test lets go.
    releaseMigrationLock = await holdMigrationLock(databaseUrl);
    bot = new BotProcess({
      DATABASE_URL: databaseUrl,
      WEBHOOK_TOKEN: HOOK_TOKEN,
      PORT: String(port),
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    });
  });
  afterAll(async () => {
    await releaseMigrationLock?.();
    release?.();
    await bot?.kill();
    await discord?.stop();
    await slack?.stop();
  });

  it('answers the very first request after the port opens from its route, never 404', async () => {
    const socket = await firstConnection(port, 90_000);
    const ping = JSON.stringify({ type: 1 });
    // The port opens before the migrations, which wait for the lock another replica holds: the route
    // exists but says "starting"; liveness is fine, readiness names the pending migrations.
    const first = await rawRequest(socket, 'POST', '/discord/interactions', ping);
    expect(first.status).toBe(503);
    expect(first.body).toContain('{"error":"starting"}');
    await bot.waitForLog(/waiting for the migration lock/, 20_000);
    expect(await request(port, 'GET', '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const waiting = await request(port, 'GET', '/readyz');
    expect(waiting.status).toBe(503);
    expect(JSON.parse(waiting.body)).toMatchObject({ ready: false, checks: { running: true, migrations: false, database: true } });
    expect(bot.stderr).not.toMatch(/migrations done/);

    const released = releaseMigrationLock?.();
    releaseMigrationLock = undefined;
    await released;
    // A fresh SQLite file has everything to run; a PostgreSQL test schema is a migrated copy.
    if (databaseUrl.startsWith('sqlite:')) {
      await bot.waitForLog(/migrations done/, 30_000);
      expect(bot.stderr).toMatch(/running \d\d+ migrations/);
    }
    await bot.waitFor(async () => (JSON.parse((await request(port, 'GET', '/readyz')).body) as { checks: { migrations: boolean } }).checks.migrations, 'migrations done in /readyz', 30_000);
    // A spot check with no signature: the route refuses it (401); a missing route would say 404.
    const unsigned = await request(port, 'POST', '/discord/interactions', ping);
    expect(unsigned.status).toBe(401);
    const ready = JSON.parse((await request(port, 'GET', '/readyz')).body) as { checks: Record<string, boolean> };
    expect(ready.checks).toMatchObject({ migrations: true, slack: false, discord: false });
    // Signed correctly, but the platform is still connecting: the same "try again later" as before
    // the migrations (docs/deploy.md), not a bare 503 nor "no such page".
    const command = new URLSearchParams({ command: '/fault', text: 'list', user_id: 'U0ALICE', user_name: 'alice', team_id: slack.teamId, channel_id: 'C0OPS', trigger_id: slack.mintTriggerId(), response_url: slack.mintResponseUrl() }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const slackHeaders = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signSlackRequest(SLACK_SIGNING_SECRET, command, timestamp) };
    expectStarting(await signedPost(port, '/slack/events', command, slackHeaders));
    expectStarting(await signedPost(port, '/discord/interactions', ping, { 'content-type': 'application/json', ...signer.headers(ping) }));
  }, 120_000);

  it('keeps /readyz at 503 until Slack and Discord are connected, then 200', async () => {
    const before = await request(port, 'GET', '/readyz');
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body)).toMatchObject({ ready: false, checks: { database: true, discord: false } });

    release();
    await bot.waitForLog(/slack: bot token verified/, 30_000);
    await bot.waitForLog(/discord: bot token verified/, 20_000);
    const deadline = Date.now() + 20_000;
    let after = await request(port, 'GET', '/readyz');
    while (after.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await request(port, 'GET', '/readyz');
    }
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body)).toEqual({ ready: true, checks: { running: true, migrations: true, database: true, slack: true, discord: true } });
    expect(await driver().ping()).toEqual({ status: 200, body: '{"type":1}' });
  }, 60_000);

  // Last: it stops the bot. A rolling restart's SIGTERM must not cut off a webhook being received.
  it('on SIGTERM refuses new connections but answers the request in flight, stores it, then exits', async () => {
    const body = JSON.stringify(amBody('{}:{alertname="DrainTest"}', [{ name: 'DrainTest', fingerprint: 'drain-1', summary: 'x'.repeat(90_000) }]));
    const half = Math.floor(body.length / 2);
    const socket = await firstConnection(port, 5_000);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const headers = ['POST /hooks/alertmanager HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${HOOK_TOKEN}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body.slice(0, half)}`);
    await new Promise((r) => setTimeout(r, 200));

    const exited = bot.stop();
    await bot.waitForLog(/shutting down/, 10_000);
    // The port closes: a new connection is refused (the balancer retries it on another replica).
    await bot.waitFor(
      () => new Promise<boolean>((resolve) => {
        const probe = connect(port, '127.0.0.1');
        probe.once('connect', () => (probe.destroy(), resolve(false)));
        probe.once('error', () => resolve(true));
      }),
      'the port to refuse new connections',
      5_000,
    );
    // Well past the moment the old shutdown cut every connection (~190 ms): the request is still open.
    await new Promise((r) => setTimeout(r, 500));
    expect(received).toBe('');
    socket.write(body.slice(half));
    await ended;
    expect(received).toMatch(/^HTTP\/1\.1 20[02] /);
    expect(received.toLowerCase()).toContain('connection: close');
    expect(await exited).toBe(0);
    const stored = await queryDatabase<{ fingerprint: string }>(databaseUrl, "SELECT fingerprint FROM alerts WHERE fingerprint = 'drain-1'");
    expect(stored).toEqual([{ fingerprint: 'drain-1' }]);
  }, 60_000);
});
