import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

/** The number the shell printed for a button on the newest message that shows it. */
function buttonNumber(output: string, label: string): string {
  const matches = [...output.matchAll(new RegExp(`\\[(\\d+)\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g'))];
  const last = matches.at(-1)?.[1];
  if (!last) throw new Error(`no button ${label} in:\n${output}`);
  return last;
}

/** `YYYY-MM-DD HH:mm` in UTC (the shell runs with TZ_NAME unset: UTC), `days` from now. */
function windowTime(days: number, hour: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)} ${String(hour).padStart(2, '0')}:00`;
}

describe('/ops me in the terminal (shell adapter)', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill();
  });

  it('shows the overview with numbered buttons; approving from it decides the change, and the overview follows', async () => {
    bot = new BotProcess({ DATABASE_URL: await freshTestDatabase('opsdesk-shell-me-'), PORT: '0', ADMIN_USERS: 'shell:admin' });
    await bot.waitForOutput(/opsdesk shell/, 0, 45_000);

    bot.write('/as admin');
    bot.write('/ops role add @ann approver');
    await bot.waitForOutput(/ann is now approver/);
    bot.write('/ops role add @li.wei engineer');
    await bot.waitForOutput(/li\.wei is now engineer/);
    let mark = bot.stdout.length;
    bot.write('/oncall rotation set primary @li.wei handoff="Mon 09:00" length=1w');
    await bot.waitForOutput(/── DM to li\.wei ──/, mark);

    bot.write('/as rita');
    mark = bot.stdout.length;
    bot.write('/fault');
    for (const answer of ['Mail server unreachable', 'Nobody on floor 3 can send mail', '3', '1', '', 'mail-01']) bot.write(answer);
    await bot.waitForOutput(/INC-1 \(P2\) is reported/, mark);
    mark = bot.stdout.length;
    bot.write('/change');
    const change = ['Upgrade db-01', '2', '1', 'pg_upgrade 15 to 16', 'Version 15 ends', 'Billing read-only 15 min', 'Rehearsed on staging', 'Restore the snapshot', windowTime(3, 15), windowTime(3, 16), 'db-01'];
    for (const answer of change) bot.write(answer);
    await bot.waitForOutput(/CHG-1 is submitted/, mark);

    mark = bot.stdout.length;
    bot.write('/ops me');
    const mine = await bot.waitForOutput(/Your overview[\s\S]*?\[\d+\] Request a change/, mark);
    // The wall clock: a deadline past midnight (a run near 23:30 UTC) is shown with its date.
    expect(mine[0]).toMatch(/🟠 INC-1 · P2 · Mail server unreachable — Reported · Respond by (\d{4}-\d\d-\d\d )?\d\d:\d\d \(in (29|30) min\) \(you reported it\)/);
    expect(mine[0]).toContain('CHG-1 · Low risk · Upgrade db-01 — Waiting for approval (you reported it)');
    expect(mine[0]).not.toContain('Waiting for your approval');
    expect(mine[0]).toContain('Primary: @li.wei');

    bot.write('/as ann');
    mark = bot.stdout.length;
    bot.write('/ops me');
    const anns = await bot.waitForOutput(/Your overview[\s\S]*?\[\d+\] Request a change/, mark);
    expect(anns[0]).toContain('Waiting for your approval (1)');
    expect(anns[0]).toContain('⏳ CHG-1 · Low risk · Upgrade db-01');
    expect(anns[0]).toContain('Requested by @rita');
    expect(anns[0]).toMatch(/\[\d+\] Reject · CHG-1/);

    mark = bot.stdout.length;
    bot.write(buttonNumber(anns[0], 'Approve · CHG-1'));
    await bot.waitForOutput(/── #changes \(updated\) ──\n[^\n]*CHG-1[\s\S]*?Approved by @ann/, mark);
    await bot.waitForOutput(/── DM to rita ──[\s\S]*?CHG-1/, mark);

    mark = bot.stdout.length;
    bot.write('/ops me');
    const after = await bot.waitForOutput(/Your overview[\s\S]*?\[\d+\] Request a change/, mark);
    expect(after[0]).not.toContain('CHG-1');
    expect(after[0]).toContain('Nothing open that you reported or that is assigned to you.');

    bot.write('/as li.wei');
    mark = bot.stdout.length;
    bot.write('/ops me');
    const lis = await bot.waitForOutput(/Your overview[\s\S]*?\[\d+\] Request a change/, mark);
    // A rotation of one has no hand-off: no made-up end at the schedule's 14-day horizon.
    expect(lis[0]).toContain('You are on call now as Primary; no hand-off planned.');
    expect(lis[0]).not.toMatch(/on call now as Primary until/);

    bot.write('/quit');
    expect(await bot.waitForExit()).toBe(0);
    expect(bot.stderr).not.toMatch(/"level":50/);
  });
});
