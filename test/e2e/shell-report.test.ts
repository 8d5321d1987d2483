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
});
