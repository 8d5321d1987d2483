import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess } from '../helpers/bot-process.js';
import { freshTestDatabase } from '../helpers/db.js';

/** The number the shell printed for a button on the newest card that shows it. */
function buttonNumber(output: string, label: string): string {
  const matches = [...output.matchAll(new RegExp(`\\[(\\d+)\\] ${label}`, 'g'))];
  const last = matches.at(-1)?.[1];
  if (!last) throw new Error(`no button ${label} in:\n${output}`);
  return last;
}

describe('npm start in the terminal (shell adapter), driven through stdin', () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill();
  });

  it('runs the fault scenario: report, acknowledge, resolve with root cause, reporter DMs, card updated', async () => {
    bot = new BotProcess({ DATABASE_URL: await freshTestDatabase('opsdesk-shell-'), PORT: '0', ADMIN_USERS: 'shell:admin' });
    await bot.waitForOutput(/opsdesk shell/);

    bot.write('/as admin');
    bot.write('/ops role add @li.wei engineer');
    await bot.waitForOutput(/li\.wei is now engineer/);

    bot.write('/as anna');
    let mark = bot.stdout.length;
    bot.write('/fault');
    for (const answer of ['Mail server unreachable', 'Nobody on floor 3 can send mail', '3', '1', '', 'mail-01']) bot.write(answer);
    await bot.waitForOutput(/INC-1 \(P2\) is reported/, mark);
    const card = await bot.waitForOutput(/── #faults ──\n🟠 INC-1 · P2 · Mail server unreachable[\s\S]*?Status: Reported[\s\S]*?\[\d+\] Acknowledge/, mark);
    await bot.waitForOutput(/── DM to anna ──\n.*\nWe received your fault report INC-1 \(P2\)/, mark);

    // A requester cannot acknowledge: the card's button answers privately and changes nothing.
    mark = bot.stdout.length;
    bot.write(buttonNumber(card[0], 'Acknowledge'));
    await bot.waitForOutput(/\(only you\) Only engineers can acknowledge faults/, mark);

    bot.write('/as li.wei');
    mark = bot.stdout.length;
    bot.write(buttonNumber(card[0], 'Acknowledge'));
    const acked = await bot.waitForOutput(/── #faults \(updated\) ──\n.*INC-1[\s\S]*?Status: Acknowledged[\s\S]*?Assignee: @li\.wei[\s\S]*?\[\d+\] Resolve/, mark);
    await bot.waitForOutput(/── DM to anna ──\n.*\n@li\.wei acknowledged INC-1 and is on it\./, mark);

    mark = bot.stdout.length;
    bot.write(buttonNumber(acked[0], 'Resolve'));
    await bot.waitForOutput(/Resolve INC-1/, mark);
    bot.write('');
    await bot.waitForOutput(/required/i, mark);
    bot.write('Expired TLS certificate');
    bot.write('Renewed the certificate and reloaded postfix');
    await bot.waitForOutput(/── #faults \(updated\) ──\n✅ INC-1 · P2 · Mail server unreachable[\s\S]*?Status: Resolved[\s\S]*?Root cause: Expired TLS certificate/, mark);
    const resolvedDm = await bot.waitForOutput(/── DM to anna ──\n✅ INC-1[^\n]*\nRoot cause: Expired TLS certificate[\s\S]*?INC-1 is resolved by @li\.wei[\s\S]*?\[\d+\] Reopen/, mark);

    bot.write('/as anna');
    mark = bot.stdout.length;
    bot.write(buttonNumber(resolvedDm[0], 'Reopen'));
    await bot.waitForOutput(/── #faults \(updated\) ──\n🟠 INC-1[\s\S]*?Status: In progress/, mark);

    mark = bot.stdout.length;
    bot.write('/fault show INC-1');
    await bot.waitForOutput(/Timeline\n.*anna: reported\n.*li\.wei: acknowledged\n.*li\.wei: resolved\n.*anna: reopened/, mark);

    bot.write('/quit');
    expect(await bot.waitForExit()).toBe(0);
    expect(bot.stderr).not.toMatch(/"level":50/);
  });

  it('stops at start-up with one clear line per configuration problem', async () => {
    bot = new BotProcess({ DATABASE_URL: 'mysql://nope', PORT: '99999', DEFAULT_LOCALE: 'fr' });
    expect(await bot.waitForExit()).toBe(1);
    const lines = bot.stderr.trim().split('\n');
    expect(lines[0]).toBe('opsdesk cannot start, the configuration has problems:');
    expect(lines.slice(1).map((l) => l.trim().split(':')[0]).sort()).toEqual(['DATABASE_URL', 'DEFAULT_LOCALE', 'PORT']);
  });
});
