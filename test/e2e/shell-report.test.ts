import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../helpers/bot-process.js';
import { tempSqliteUrl } from '../helpers/db.js';

describe('/ops report weekly in the terminal', { timeout: 120_000 }, () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill();
  });

  it('prints the report privately and writes the chart under REPORT_DIR, printing its path', async () => {
    const reports = mkdtempSync(join(tmpdir(), 'opsdesk-shell-reports-'));
    bot = new BotProcess({ DATABASE_URL: tempSqliteUrl('opsdesk-shell-report-'), PORT: '0', ADMIN_USERS: 'shell:admin', REPORT_DIR: reports, TZ_NAME: 'UTC' });
    await bot.waitForOutput(/opsdesk shell/, 0, 90_000);
    bot.write('/as admin');
    const mark = bot.stdout.length;
    bot.write('/ops report weekly 2026-01-05 2026-01-11');
    await bot.waitForOutput(/Weekly operations report · 2026-01-05 – 2026-01-11/, mark, 30_000);
    await bot.waitForOutput(/The chart is in your direct messages with opsdesk\./, mark, 30_000);
    const saved = await bot.waitForOutput(/── DM to admin ──[\s\S]*?Chart · Weekly operations report · 2026-01-05 – 2026-01-11[\s\S]*?File saved: (\S+\.png)/, mark, 30_000);
    const path = saved[1] ?? '';
    expect(path.startsWith(reports)).toBe(true);
    expect(path).toMatch(/weekly-2026-01-05-\d+\.png$/);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200);
  });

  it('gives the chart up when REPORT_DIR cannot be created: tells the person, logs an error, stays responsive and exits when input ends', async () => {
    // Under /proc a folder cannot be created, and Node's recursive mkdir spun forever on it.
    const reports = `/proc/opsdesk-nope-${process.pid}/reports`;
    bot = new BotProcess({ DATABASE_URL: tempSqliteUrl('opsdesk-shell-report-nodir-'), PORT: '0', ADMIN_USERS: 'shell:admin', REPORT_DIR: reports, TZ_NAME: 'UTC' });
    await bot.waitForOutput(/opsdesk shell/, 0, 90_000);
    bot.write('/as admin');
    const mark = bot.stdout.length;
    bot.write('/ops report weekly 2026-01-05 2026-01-11');
    await bot.waitForOutput(/The chart is in your direct messages with opsdesk\./, mark, 30_000);
    const told = await bot.waitForOutput(/The file (weekly-2026-01-05\.png) could not be saved under (\S+) \(/, mark, 30_000);
    expect(told[2]).toBe(reports);
    const logged = await bot.waitFor(() => logLines(bot).find((l) => l.level === 50 && l.msg === 'outbox: message cannot be delivered; marked dead'), 'the error log', 30_000);
    expect(String(logged.error)).toContain(reports);

    // Still answering commands afterwards, and the dead chart is not retried.
    const after = bot.stdout.length;
    bot.write('/ops help');
    await bot.waitForOutput(/\/ops kpi/, after, 30_000);
    expect(bot.stdout.slice(after)).not.toMatch(/could not be saved/);

    bot.endInput();
    const exit = await Promise.race([bot.waitForExit(), new Promise<'hung'>((done) => setTimeout(() => done('hung'), 20_000))]);
    expect(exit).toBe(0);
  });
});

interface LogLine {
  level: number;
  msg: string;
  error?: unknown;
}

function logLines(bot: BotProcess | undefined): LogLine[] {
  return (bot?.stderr ?? '')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
}
