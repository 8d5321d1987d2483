// Slack requests against the bot and against their floor, in the same run (issue #15 item 4): the
// compiled bot as a real process in Slack HTTP mode on SQLite, talking to the fake Slack, and a bare
// Bolt app (its own HTTPReceiver, same signing secret) whose listeners only ack. Both get the same
// signed requests at a concurrency of 50 and of 200:
// - "Acknowledge" clicks (block_actions), each on a different open fault, which the bot turns into a
//   record change (timeline, audit, SLA clock, card edit and reporter DM through the outbox);
// - the read-only `/fault list` slash command, answered in the ack.
// A click is acknowledged before it is processed (src/platforms/slack/listeners.ts), so for clicks the
// table also shows how long the bot took until every clicked fault was acknowledged in the database.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { systemClock } from '../src/clock.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { RoleGrant } from '../src/store/entities/index.js';
import { Store } from '../src/store/store.js';
import { FakeSlackServer } from '../test/fakes/slack/index.js';
import { clickBody, commandBody, fireInWorker as fire, type LoadFigures } from './slack-load.js';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'bench-signing-secret-0123456789';
const CHANNEL = 'CBENCHFAULTS';
const ENGINEERS = 20;
const LEVELS = [50, 200] as const;
/** Clicks per level (each on its own fault), and warm-up clicks before the first level. */
const CLICKS = Number(process.env.BENCH_SLACK_CLICKS ?? 1_000);
const WARMUP = 200;
/** `/fault list` requests per level. */
const LISTS = Number(process.env.BENCH_SLACK_LISTS ?? 1_000);

const BARE_BOLT = `
const { App, HTTPReceiver } = await import('@slack/bolt');
const receiver = new HTTPReceiver({ signingSecret: process.env.SIGNING_SECRET, endpoints: '/slack/events' });
// Bolt reads the bot's identity (auth.test) once, from the fake Slack, like the bot.
const app = new App({ token: process.env.SLACK_BOT_TOKEN, receiver, logLevel: 'error', clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.action(/.*/, async ({ ack }) => { await ack(); });
app.command(/.*/, async ({ ack }) => { await ack(); });
await app.start(Number(process.env.PORT));
`;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

/** Compiles and bundles dist/ when src/ is newer, so that the bench never measures stale JavaScript. */
async function ensureBuilt(): Promise<void> {
  const main = join(ROOT, 'dist/bundle/main.js');
  let built = 0;
  try {
    built = statSync(main).mtimeMs;
  } catch {
    // Not built yet.
  }
  if (built > Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'commands')), newest(join(ROOT, 'migrations')))) return;
  process.stdout.write('compiling dist/ (npm run build)...\n');
  await new Promise<void>((done, fail) => {
    const child = spawn('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`npm run build exited with ${code}`))));
  });
}

async function waitListening(url: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}`);
    try {
      const answer = await fetch(url);
      if (answer.status === 200 || answer.status === 404) return;
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) throw new Error(`${url}: not ready within 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitUntil(probe: () => boolean, what: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  while (!probe()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return performance.now() - started;
}

function startProcess(cwd: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.on('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Node flags of `npm start`, so that the bench runs the bot as it is deployed; BENCH_SLACK_NODE_FLAGS
 * (space-separated) replaces the flags before the script, to compare V8 settings.
 */
function startFlags(): string[] {
  const override = process.env.BENCH_SLACK_NODE_FLAGS;
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts.start ?? 'node dist/bundle/main.js').split(/\s+/);
  if (override !== undefined) return [...override.split(/\s+/).filter(Boolean), words[words.length - 1] ?? 'dist/bundle/main.js'];
  return words.slice(1);
}

/** startFlags() for the checkout in `cwd`: one built before the bundle (BENCH_BASE_DIR) has only dist/src/main.js. */
function startFlagsIn(cwd: string): string[] {
  const flags = startFlags();
  const script = flags[flags.length - 1] ?? '';
  return existsSync(join(cwd, script)) ? flags : [...flags.slice(0, -1), 'dist/src/main.js'];
}

/** One person reporting `count` faults through the real services (cards queued for the fault channel), and engineers to click. */
async function seed(url: string, count: number): Promise<void> {
  const store = new Store(await openDatabase(url), url);
  const services = createServices({ store, clock: systemClock, timeZone: 'UTC', defaultLocale: 'en', bootstrapAdmins: [], channelDefaults: { fault_channel: `slack:${CHANNEL}` } });
  const reporter = await services.people.resolve({ platform: 'slack', userId: 'U0REPORTER', displayName: 'reporter' });
  for (let i = 0; i < ENGINEERS; i++) {
    const engineer = await services.people.resolve({ platform: 'slack', userId: engineerId(i), displayName: `engineer ${i}` });
    await store.manager.save(RoleGrant, store.manager.create(RoleGrant, { personId: engineer.personId, role: 'engineer', grantedBy: null, createdAt: new Date() }));
  }
  for (let i = 0; i < count; i++) {
    await services.faults.report(reporter, { title: `Printer ${i} offline`, description: 'Seeded by bench/slack-clicks.ts', category: 'hardware', impact: 2, urgency: 2 });
  }
  await store.close();
}

const engineerId = (i: number) => `U0ENG${String(i).padStart(3, '0')}`;

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 0}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Row {
  /** Which build of the bot. */
  bot: string;
  what: string;
  concurrency: number;
  bareFigures: LoadFigures;
  botFigures: LoadFigures;
  /** Clicks only: faults changed per second, from the first click until the last one was in the database. */
  changedPerSecond?: number;
  /** CPU time per request, ms (bot: until every change was in the database and its messages sent). */
  botCpuMs: number;
  bareCpuMs: number;
}

/**
 * Runs the comparison for the bot compiled in `cwd` (the script `npm start` runs, resolved there) and returns its rows
 * and a line on seeding. The bare Bolt app is started afresh beside it.
 */
async function measure(fake: FakeSlackServer, cwd: string, label: string): Promise<{ rows: Row[]; note: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-slack-'));
  const file = join(dir, 'bench.db');
  const url = `sqlite:${file}`;
  const children: ChildProcess[] = [];
  try {
    const total = WARMUP + CLICKS * LEVELS.length;
    let started = performance.now();
    await seed(url, total);
    const seedS = (performance.now() - started) / 1000;

    const botPort = await freePort();
    const profileDir = process.env.BENCH_CPU_PROF;
    const bot = startProcess(cwd, [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...startFlagsIn(cwd)], {
      DATABASE_URL: url,
      PORT: String(botPort),
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      FAULT_CHANNEL: `slack:${CHANNEL}`,
      LOG_LEVEL: 'warn',
    });
    children.push(bot);
    const barePort = await freePort();
    const bare = startProcess(ROOT, ['--input-type=module', '-e', BARE_BOLT], { SIGNING_SECRET: SECRET, PORT: String(barePort), SLACK_BOT_TOKEN: fake.botToken, SLACK_API_URL: fake.apiUrl });
    children.push(bare);
    await waitListening(`http://127.0.0.1:${botPort}/readyz`, bot);
    await waitListening(`http://127.0.0.1:${barePort}/`, bare);

    const db = new Database(file, { readonly: true });
    const pending = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'");
    const unacknowledged = db.prepare<[number, number], { n: number }>('SELECT COUNT(*) AS n FROM faults WHERE id BETWEEN ? AND ? AND acknowledged_at IS NULL');
    const drained = () => (pending.get()?.n ?? 1) === 0;
    started = performance.now();
    await waitUntil(drained, 'the seeded cards to be posted');
    const postS = (performance.now() - started) / 1000;

    const botUrl = `http://127.0.0.1:${botPort}/slack/events`;
    const bareUrl = `http://127.0.0.1:${barePort}/slack/events`;
    const clicks = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) =>
        clickBody({ teamId: fake.teamId, user: engineerId(i % ENGINEERS), channel: CHANNEL, messageTs: `1700000000.${String(from + i).padStart(6, '0')}`, actionId: 'fault.ack', value: `INC-${from + i}` }),
      );
    const lists = (count: number) =>
      Array.from({ length: count }, (_, i) =>
        commandBody({ teamId: fake.teamId, user: engineerId(i % ENGINEERS), channel: CHANNEL, command: '/fault', text: 'list', responseUrl: fake.mintResponseUrl() }),
      );

    // Warm-up: first-use costs (JIT, prepared statements, caches) stay out of the figures.
    const warm = clicks(1, WARMUP);
    await fire(bareUrl, SECRET, warm, 50);
    await fire(botUrl, SECRET, warm, 50);
    await fire(botUrl, SECRET, lists(100), 50);
    await waitUntil(() => (unacknowledged.get(1, WARMUP)?.n ?? 1) === 0 && drained(), 'the warm-up clicks');

    const rows: Row[] = [];
    let first = WARMUP + 1;
    for (const concurrency of LEVELS) {
      const bodies = clicks(first, CLICKS);
      let cpu = cpuMs(bare.pid);
      const bareFigures = await fire(bareUrl, SECRET, bodies, concurrency);
      const bareCpuMs = (cpuMs(bare.pid) - cpu) / CLICKS;
      cpu = cpuMs(bot.pid);
      const clickStarted = performance.now();
      const botFigures = await fire(botUrl, SECRET, bodies, concurrency);
      const last = first + CLICKS - 1;
      const from = first;
      await waitUntil(() => (unacknowledged.get(from, last)?.n ?? 1) === 0, `faults ${from}-${last} to be acknowledged`);
      const changedPerSecond = CLICKS / ((performance.now() - clickStarted) / 1000);
      // The card edits and DMs of this level go out before the next level starts.
      await waitUntil(drained, 'the outbox to drain');
      const botCpuMs = (cpuMs(bot.pid) - cpu) / CLICKS;
      rows.push({ bot: label, what: 'Acknowledge click', concurrency, bareFigures, botFigures, changedPerSecond, botCpuMs, bareCpuMs });
      first += CLICKS;
    }
    for (const concurrency of LEVELS) {
      const bodies = lists(LISTS);
      let cpu = cpuMs(bare.pid);
      const bareFigures = await fire(bareUrl, SECRET, bodies, concurrency);
      const bareCpuMs = (cpuMs(bare.pid) - cpu) / LISTS;
      cpu = cpuMs(bot.pid);
      const botFigures = await fire(botUrl, SECRET, bodies, concurrency);
      const botCpuMs = (cpuMs(bot.pid) - cpu) / LISTS;
      rows.push({ bot: label, what: '/fault list', concurrency, bareFigures, botFigures, botCpuMs, bareCpuMs });
    }
    db.close();
    const note = `${label}: seeded ${total} faults in ${seedS.toFixed(1)} s, cards posted in ${postS.toFixed(1)} s`;
    return { rows, note };
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the whole comparison and returns the table's lines. BENCH_BASE_DIR (a checkout of an earlier
 * commit with node_modules and a compiled dist/) adds that build's rows first, for before/after in
 * the same run.
 */
export async function benchSlackClicks(): Promise<string[]> {
  await ensureBuilt();
  const fake = await FakeSlackServer.start();
  try {
    const results = [];
    const base = process.env.BENCH_BASE_DIR;
    if (base) results.push(await measure(fake, base, 'before'));
    results.push(await measure(fake, ROOT, base ? 'after' : 'bot'));
    const rows = results.flatMap((r) => r.rows);
    const load = loadavg().map((v) => v.toFixed(2)).join(' / ');
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const rate = (v: number) => `${Math.round(v).toLocaleString('en-US')}/s`;
    return [
      '',
      `Slack requests, bot (node ${startFlags().join(' ')}, SQLite, fake Slack) against bare Bolt (ack only), same signed requests`,
      `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), node ${process.version}; load average at the end ${load}; ${CLICKS} clicks and ${LISTS} lists per level`,
      ...results.map((r) => r.note),
      '| bot | request | concurrency | bot p50 | bare p50 | bot p99 | bare p99 | p99 ratio (target <= 1.5) | bot rate | bare rate | rate ratio (target >= 0.6) | faults changed | CPU per request bot / bare | failed (bot/bare) |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.bot} | ${r.what} | ${r.concurrency} | ${ms(r.botFigures.p50Ms)} | ${ms(r.bareFigures.p50Ms)} | ${ms(r.botFigures.p99Ms)} | ${ms(r.bareFigures.p99Ms)} | ${(r.botFigures.p99Ms / r.bareFigures.p99Ms).toFixed(2)} | ` +
          `${rate(r.botFigures.perSecond)} | ${rate(r.bareFigures.perSecond)} | ${(r.botFigures.perSecond / r.bareFigures.perSecond).toFixed(2)} | ${r.changedPerSecond === undefined ? '—' : rate(r.changedPerSecond)} | ` +
          `${r.botCpuMs.toFixed(2)} / ${r.bareCpuMs.toFixed(2)} ms | ${r.botFigures.failed}/${r.bareFigures.failed} |`,
      ),
    ];
  } finally {
    await fake.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  benchSlackClicks().then(
    (lines) => process.stdout.write(`${lines.join('\n')}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
