// Start-up to ready and idle memory of `npm start` with Slack (HTTP mode) and Discord (gateway) on
// (and once with neither: the shell adapter that `npm start` opens with no credentials),
// against the fake platforms on loopback (issue #15 item 4). "before" is how the bot used to start
// (`npm run dev`: npm, then tsx compiling the TypeScript at start), and tsc's output run file by file
// (dist/src/main.js, what `npm start` ran before the bundle); "after" is `npm start` (plain node
// running the bundle scripts/bundle.ts makes at install). The floor is a bare node process that only loads Bolt and
// discord.js and answers HTTP: what the platforms' SDKs cost by themselves.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FakeDiscordServer } from '../test/fakes/discord/index.js';
import { FakeSlackServer } from '../test/fakes/slack/index.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 3;
/** Time the process is left alone after it is ready before its memory is read. */
const SETTLE_MS = 3_000;

export interface StartupFigures {
  readyMs: number;
  /** CPU time (user + system) the tree had used when it was ready, ms: less swayed by load than readyMs. */
  cpuMs: number;
  rssMb: number;
  /** RSS per process name in the tree, MB, e.g. `npm-start 58 + node 110`. */
  parts: string;
}

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

/** Every process in the tree under `pid` (itself included), from /proc. */
function treeOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const tree: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() ?? 0;
    tree.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return tree;
}

/** Resident memory of a process tree in MB (VmRSS summed), and the share of each process by name. */
function treeRss(pid: number): { rssMb: number; parts: string } {
  let kb = 0;
  const parts: string[] = [];
  for (const member of treeOf(pid)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      const own = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      kb += own;
      parts.push(`${/Name:\s+(\S+)/.exec(status)?.[1] ?? '?'} ${(own / 1024).toFixed(0)}`);
    } catch {
      // Gone.
    }
  }
  return { rssMb: kb / 1024, parts: parts.join(' + ') };
}

/** CPU time (user + system, ms) used so far by every process in the tree under `pid`. */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  for (const member of treeOf(pid)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  // Linux reports these in clock ticks of 10 ms (USER_HZ 100).
  return ticks * 10;
}

async function waitReady(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before it was ready`);
    try {
      const answer = await fetch(url);
      if (answer.status === 200) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stopTree(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((done) => child.on('exit', done));
  process.kill(-child.pid, 'SIGKILL');
  await exited;
}

/**
 * Starts `command` once, waits for `readyPath` to answer 200, and reads CPU and memory. `terminal`:
 * stdin is an open pipe, as a terminal would be, for the shell adapter (which ends when its input ends).
 */
async function once(command: string, args: string[], env: Record<string, string>, readyPath: string, cwd = ROOT, terminal = false): Promise<StartupFigures> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: [terminal ? 'pipe' : 'ignore', 'ignore', 'ignore'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
  });
  try {
    const readyMs = await waitReady(`http://127.0.0.1:${port}${readyPath}`, child, started);
    const cpuMs = treeCpuMs(child.pid ?? 0);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return { readyMs, cpuMs, ...treeRss(child.pid ?? 0) };
  } finally {
    await stopTree(child);
  }
}

const FLOOR_SCRIPT = `
await import('@slack/bolt');
await import('discord.js');
const { createServer } = await import('node:http');
createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
`;

/** The arguments of `npm start` after `node`, from package.json. */
function startArgs(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return (scripts.start ?? 'node dist/src/main.js').split(/\s+/).slice(1);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
}

async function medianOf(run: () => Promise<StartupFigures>): Promise<StartupFigures> {
  const all: StartupFigures[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await run());
  const byRss = [...all].sort((a, b) => a.rssMb - b.rssMb);
  return {
    readyMs: median(all.map((f) => f.readyMs)),
    cpuMs: median(all.map((f) => f.cpuMs)),
    rssMb: median(all.map((f) => f.rssMb)),
    parts: byRss[Math.floor(byRss.length / 2)]?.parts ?? '',
  };
}

/** Runs the three variants RUNS times each and prints the medians. */
export async function benchStartup(): Promise<void> {
  const slack = await FakeSlackServer.start();
  const discord = await FakeDiscordServer.start();
  const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-start-'));
  try {
    const botEnv = (name: string): Record<string, string> => ({
      DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: 'bench-signing-secret-0123456789',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.botToken,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    });
    let run = 0;
    const rows: [string, StartupFigures][] = [];
    // BENCH_BASE_DIR: a checkout of an earlier commit, compiled (npx tsc -p tsconfig.build.json), for a
    // before/after comparison in the same run; without it "before" is `npm run dev` of this tree.
    const base = process.env.BENCH_BASE_DIR;
    if (base) rows.push([`before: npm start in ${base}`, await medianOf(() => once('npm', ['start', '--silent'], botEnv(`base-${run++}`), '/readyz', base))]);
    else rows.push(['before: npm run dev (npm + tsx src/main.ts)', await medianOf(() => once('npm', ['run', '--silent', 'dev'], botEnv(`before-${run++}`), '/readyz'))]);
    rows.push(['before: node --max-semi-space-size=1 dist/src/main.js (unbundled)', await medianOf(() => once(process.execPath, ['--max-semi-space-size=1', 'dist/src/main.js'], botEnv(`unbundled-${run++}`), '/readyz'))]);
    rows.push([`after:  npm start (npm + node ${startArgs().join(' ')})`, await medianOf(() => once('npm', ['start', '--silent'], botEnv(`after-${run++}`), '/readyz'))]);
    // What a process manager or container runs: the same command without npm as its parent.
    rows.push([`after:  node ${startArgs().join(' ')} (no npm)`, await medianOf(() => once(process.execPath, startArgs(), botEnv(`node-${run++}`), '/readyz'))]);
    // BENCH_STARTUP_FLAGS: alternative node flag sets separated by `|`, each one more row (no npm).
    for (const flags of (process.env.BENCH_STARTUP_FLAGS ?? '').split('|').filter((f) => f.trim() !== '')) {
      const args = [...flags.trim().split(/\s+/), 'dist/src/main.js'];
      rows.push([`variant: node ${args.join(' ')}`, await medianOf(() => once(process.execPath, args, botEnv(`flags-${run++}`), '/readyz'))]);
    }
    // The README's first command: no chat credentials, so the shell adapter on the embedded SQLite.
    rows.push([`after:  npm start, no credentials (shell adapter)`, await medianOf(() => once('npm', ['start', '--silent'], { DATABASE_URL: `sqlite:${join(dir, `shell-${run++}.db`)}` }, '/readyz', ROOT, true))]);
    rows.push(['floor:  node loading Bolt + discord.js, HTTP', await medianOf(() => once(process.execPath, ['--input-type=module', '-e', FLOOR_SCRIPT], {}, '/'))]);
    const row = ([name, f]: [string, StartupFigures]) =>
      `${name.padEnd(72)} ${f.readyMs.toFixed(0).padStart(6)} ms ${f.cpuMs.toFixed(0).padStart(6)} ms CPU ${f.rssMb.toFixed(0).padStart(6)} MB  (${f.parts})\n`;
    process.stdout.write(`\nStart-up to ready (GET /readyz 200) with Slack and Discord on (but the shell row), CPU used by then, and idle RSS of the whole process tree (median of ${RUNS}); load average ${loadavg().map((v) => v.toFixed(2)).join(' / ')}\n`);
    for (const r of rows) process.stdout.write(row(r));
  } finally {
    await slack.stop();
    await discord.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
