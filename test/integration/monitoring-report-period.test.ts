// `/ops report alerts [period]` reads its period as the other reports do (src/reports/period.ts:
// calendar weeks from Monday and calendar months in TZ_NAME, `FROM TO` days), not "the last 7 or 30
// days", and names the period in its reply; a text that is no period gets the reason and no report.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { parseAlertmanager, type Notification } from '../../src/monitoring/normalize.js';
import { amBody, type AlertSpec } from '../helpers/alerts.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';

const DAY = 86_400_000;
const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.store.close();
});

function am(groupKey: string, alerts: AlertSpec[]): Notification {
  const parsed = parseAlertmanager(JSON.parse(JSON.stringify(amBody(groupKey, alerts))));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.notification;
}

describe('/ops report alerts periods', () => {
  it('covers calendar weeks and months in TZ_NAME, says which, and refuses a text that is no period', async () => {
    // Monday 2026-11-23 09:00 UTC; the test runtime's TZ_NAME is UTC.
    const w = await openTestWorld({ admins: ['slack:UADMIN'], clock: new ManualClock(new Date('2026-11-23T09:00:00Z')) });
    worlds.push(w);
    const { command } = testRuntime(w);
    await command('UADMIN', '/ops', 'role add <@ULI|li> engineer');
    const report = async (text: string) => replyText(await command('ULI', '/ops', `report alerts ${text}`.trim()));
    // One alert first seen on Monday 11-23, another on Tuesday 12-01.
    await w.services.alerts.ingest(am('r1', [{ name: 'DiskFull', fingerprint: 'f100000000000001', instance: 'db1' }]));
    w.clock.advance(8 * DAY);
    await w.services.alerts.ingest(am('r2', [{ name: 'Blip', fingerprint: 'f200000000000001', instance: 'web1' }]));
    w.clock.advance(DAY); // Wednesday 12-02

    // `month` is the calendar month: December, which holds only Blip. "The last 30 days" would have
    // counted DiskFull (9 days ago) too.
    const month = await report('month');
    expect(month).toContain('Monitoring alerts · 2026-12-01 – 2026-12-31');
    expect(month).toContain('Alerts: 1 (firings: 1), faults opened: 1');
    expect(month).toContain('Blip: 1');
    expect(month).not.toContain('DiskFull');
    // `last-month` is November: DiskFull only.
    const november = await report('last-month');
    expect(november).toContain('Monitoring alerts · 2026-11-01 – 2026-11-30');
    expect(november).toContain('DiskFull: 1');
    expect(november).not.toContain('Blip');
    // The default is the last whole calendar week (Monday 11-23 to Sunday 11-29), as `/ops report weekly`:
    // DiskFull, not Blip (which "the last 7 days" would have shown).
    const lastWeek = await report('');
    expect(lastWeek).toContain('Monitoring alerts · 2026-11-23 – 2026-11-29');
    expect(lastWeek).toContain('DiskFull: 1');
    expect(lastWeek).not.toContain('Blip');
    // `week` is this calendar week, from Monday 11-30.
    expect(await report('week')).toContain('Monitoring alerts · 2026-11-30 – 2026-12-06');
    // FROM TO, both days included.
    expect(await report('2026-11-24 2026-11-30')).toContain('No monitoring alerts in 2026-11-24 – 2026-11-30.');
    expect(await report('2026-11-23 2026-12-01')).toContain('Alerts: 2 (firings: 2), faults opened: 2');
    // Not a period: the reason, as for the other reports.
    expect(await report('fortnight')).toContain('Unknown period "fortnight"');
    expect(await report('2026-13')).toContain('There is no month 2026-13');
  });
});
