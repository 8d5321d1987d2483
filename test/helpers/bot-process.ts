import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const COMPILED = resolve(ROOT, 'dist/bundle/main.js');

/** The newest modification time (ms) of the files under `dir`, or 0. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * How to start the bot: the compiled and bundled JavaScript, as `npm start` does, when it is newer than
 * every source (`npm ci` and `npm run build` compile and bundle it, scripts/bundle.ts); otherwise, after
 * an edit not yet built, tsx on the sources. Compiling at each start costs a second or more, and the suite starts the bot many times.
 */
function botCommand(): [string, string[]] {
  try {
    const built = statSync(COMPILED).mtimeMs;
    const fresh = ['src', 'commands', 'migrations'].every((dir) => newestUnder(resolve(ROOT, dir)) < built);
    if (fresh) return [process.execPath, [COMPILED]];
  } catch {
    // No dist/ yet: start from the sources.
  }
  return [TSX, ['src/main.ts']];
}
const [COMMAND, ARGS] = botCommand();

/**
 * The bot as a real process, started the way `npm start` starts it (node dist/bundle/main.js, or tsx on
 * the sources when they changed since the build), with only the environment the test gives it, so
 * that a developer's own Slack tokens never leak into a test.
 */
export class BotProcess {
  stdout = '';
  stderr = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>) {
    this.child = spawn(COMMAND, ARGS, {
      cwd: ROOT,
      // tsx runs the bot in a child process of its own; a process group lets kill() reach both.
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', ...env },
    });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => this.child.on('exit', (code) => done(code)));
  }

  /** False once the process has ended (by itself, a stop or a kill). */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  write(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  /** Waits until stdout (from `from` on) matches, and returns the match. */
  async waitForOutput(pattern: RegExp, from = 0, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return this.waitFor(() => this.stdout.slice(from).match(pattern), `stdout to match ${pattern}`, timeoutMs);
  }

  async waitForLog(pattern: RegExp, timeoutMs = 45_000): Promise<RegExpMatchArray> {
    return this.waitFor(() => this.stderr.match(pattern), `stderr to match ${pattern}`, timeoutMs);
  }

  /** Polls `probe` (which may query a database, so may be async) every 25 ms until it gives a value. */
  async waitFor<T>(probe: () => T | null | undefined | Promise<T | null | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found) return found;
      if (this.child.exitCode !== null) throw new Error(`bot exited (${this.child.exitCode}) while waiting for ${what}\n${this.stderr.slice(-3000)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout.slice(-3000)}\nstderr:\n${this.stderr.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Ends the process with SIGTERM (a graceful stop) unless it already ended, and returns its exit code. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Kills the bot at once, as a crash or power loss would (tsx and the node process it started). */
  async kill(): Promise<number | null> {
    if (this.running && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch (error) {
        // Ended on its own meanwhile.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
    return this.exited;
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}
