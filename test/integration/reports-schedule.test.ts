import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import type { ChatMessage, ChatReply } from '../../src/chat/model.js';
import { ManualClock } from '../../src/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { reportJobs } from '../../src/reports/jobs.js';
import { dueReport } from '../../src/reports/scheduled.js';
import { readMonthlySchedule, readWeeklySchedule, type ReportSchedule } from '../../src/reports/schedule-setting.js';
import { AuditEntry, OutboxMessage, Setting } from '../../src/store/entities/index.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.store.close();
});

// The test worlds run in Europe/Berlin (UTC+1 in November and December).
async function world(at: string, url?: string): Promise<TestWorld> {
  const w = await openTestWorld({ clock: new ManualClock(new Date(at)), admins: ['slack:UADMIN'], ...(url ? { url } : {}) });
  worlds.push(w);
  return w;
}

function runtimeOf(w: TestWorld): ChatRuntime {
  return new ChatRuntime({ services: w.services, commands: COMMANDS, buttons: [], forms: [], defaultLocale: 'en', clock: w.clock, timeZone: 'Europe/Berlin', logger: createLogger('silent'), metrics: new Metrics() });
}

function text(reply: ChatReply): string {
  return reply.type === 'private' ? [reply.message.body ?? reply.message.fallback].join('\n') : '';
}

const titles = async (w: TestWorld) => (await w.store.manager.find(OutboxMessage, { order: { id: 'ASC' } })).map((r) => (JSON.parse(r.payload) as ChatMessage).title);

describe('report_schedule and report_schedule_monthly', () => {
  it('accept one fire a week or a month, shown by /ops config get; anything else is refused in the reader language and changes nothing', async () => {
    const w = await world('2026-11-24T10:00:00Z');
    const runtime = runtimeOf(w);
    const ops = (body: string, locale?: string) =>
      runtime.handle({ type: 'command', actor: { platform: 'slack', userId: 'UADMIN', displayName: 'admin', ...(locale ? { locale } : {}) }, command: '/ops', text: body, channelId: 'C1' });
    const shown = text(await ops('config get'));
    expect(shown).toContain('report_schedule: 0 9 * * 1');
    expect(shown).toContain('report_schedule_monthly: 0 9 1 * *');

    for (const bad of ['0 9 * * *', '0 9 * * 1-5', '*/5 9 * * 1', '0 24 * * 1', 'monday 9am', '0 9 1 * 1']) {
      expect(text(await ops(`config set report_schedule ${bad}`))).toBe(
        `"${bad}" is not a weekly schedule. Write MINUTE HOUR * * WEEKDAY with one number each (weekday 1 Monday … 7 or 0 Sunday), e.g. 0 9 * * 1 for Mondays at 09:00.`,
      );
    }
    expect(text(await ops('config set report_schedule 0 9 * * *', 'zh-CN'))).toBe('“0 9 * * *”不是每周一次的时间表。请写 分 时 * * 星期，每项一个数字（星期 1 为周一 … 7 或 0 为周日），例如 0 9 * * 1 表示每周一 09:00。');
    expect(text(await ops('config set report_schedule_monthly 0 9 31 * *', 'en'))).toContain('"0 9 31 * *" is not a monthly schedule. Write MINUTE HOUR DAY * * with one number each (day 1-28');
    expect(text(await ops('config set report_schedule_monthly 0 9 31 * *', 'zh-CN'))).toContain('不是每月一次的时间表');
    expect(await w.store.manager.count(Setting, { where: { key: 'report_schedule' } })).toBe(0);
    expect(await w.store.manager.count(AuditEntry, { where: { action: 'config.set' } })).toBe(0);

    expect(text(await ops('config set report_schedule "30 7 * * 0"', 'en'))).toBe('report_schedule is now 30 7 * * 0.');
    expect(text(await ops('config set report_schedule_monthly 15 8 3 * *'))).toBe('report_schedule_monthly is now 15 8 3 * *.');
    expect(text(await ops('config get'))).toContain('report_schedule: 30 7 * * 0');
  });

  it('names the period of the latest fire in TZ_NAME, across a daylight saving change', () => {
    const weekly = readWeeklySchedule('0 9 * * 1') as ReportSchedule;
    const at = (iso: string, s = weekly) => dueReport(s, new Date(iso), 'Europe/Berlin');
    // Monday 2026-11-23 09:00 Berlin is 08:00 UTC: a minute before, the fire is the week before's.
    expect(at('2026-11-23T07:59:00Z').period.label).toBe('2026-11-09 – 2026-11-15');
    expect(at('2026-11-23T08:00:00Z')).toMatchObject({ fire: new Date('2026-11-23T08:00:00Z'), period: { label: '2026-11-16 – 2026-11-22', from: new Date('2026-11-15T23:00:00Z') } });
    // Summer time ends on Sunday 2026-10-25: the week before Monday the 26th has 169 hours.
    const autumn = at('2026-10-26T12:00:00Z').period;
    expect(autumn.label).toBe('2026-10-19 – 2026-10-25');
    expect((autumn.to.getTime() - autumn.from.getTime()) / 3_600_000).toBe(169);
    // Sunday 07:30 (cron weekday 0): the 7 days before that Sunday.
    expect(at('2026-11-29T06:30:00Z', readWeeklySchedule('30 7 * * 0') as ReportSchedule).period.label).toBe('2026-11-22 – 2026-11-28');
    const monthly = readMonthlySchedule('15 8 3 * *') as ReportSchedule;
    expect(at('2026-12-03T07:14:00Z', monthly).period.label).toBe('2026-10-01 – 2026-10-31');
    expect(at('2026-12-03T07:15:00Z', monthly).period.label).toBe('2026-11-01 – 2026-11-30');
  });

  it('posts nothing about the time before the first start, posts a missed fire, and applies a changed schedule from its next fire', async () => {
    const url = tempSqliteUrl();
    // First start on Tuesday 2026-11-24: the Monday fire's week ended before it.
    const w = await world('2026-11-24T10:00:00Z', url);
    const root = await w.services.people.resolve({ platform: 'slack', userId: 'UADMIN', displayName: 'admin' });
    await w.services.settings.set(root, 'management_channel', 'slack:CMGMT');
    expect(await w.services.reports.postScheduled('weekly', w.clock.now())).toBe('not_due');
    expect(await w.services.reports.postScheduled('monthly', w.clock.now())).toBe('not_due');
    expect(await w.services.reports.postScheduled('audit', w.clock.now())).toBe('not_due');

    // Down from Tuesday to the next Wednesday: Monday 2026-11-30 09:00 was missed; a new process posts it once.
    const later = await world('2026-12-02T10:00:00Z', url);
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('posted');
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('already');
    // The month of November ended after the first start: the monthly and audit reports of 1 December are due.
    expect(await later.services.reports.postScheduled('monthly', later.clock.now())).toBe('posted');
    expect(await later.services.reports.postScheduled('audit', later.clock.now())).toBe('posted');
    expect(await titles(later)).toEqual(['Weekly operations report · 2026-11-23 – 2026-11-29', 'Monthly operations report · 2026-11-01 – 2026-11-30', 'Audit report · 2026-11-01 – 2026-11-30']);

    // Moved to Tuesdays on Wednesday: yesterday's Tuesday fire came before the change and posts nothing.
    await later.services.settings.set(root, 'report_schedule', '0 9 * * 2');
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('not_due');
    // Moved to Wednesdays 11:30 Berlin (10:30 UTC): nothing at 10:29, the report at 10:30, once.
    await later.services.settings.set(root, 'report_schedule', '30 11 * * 3');
    later.clock.set(new Date('2026-12-02T10:29:00Z'));
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('not_due');
    later.clock.set(new Date('2026-12-02T10:30:00Z'));
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('posted');
    later.clock.set(new Date('2026-12-02T10:31:00Z'));
    expect(await later.services.reports.postScheduled('weekly', later.clock.now())).toBe('already');
    expect((await titles(later)).slice(3)).toEqual(['Weekly operations report · 2026-11-25 – 2026-12-01']);
    // One start marker, from the first start, kept across processes.
    const started = await later.store.manager.find(AuditEntry, { where: { action: 'report.started' } });
    expect(started.map((e) => e.createdAt.toISOString())).toEqual(['2026-11-24T10:00:00.000Z']);
  });

  it('marks the first start at the first run of the job, before management_channel is set, and counts periods from there', async () => {
    const w = await world('2026-11-24T10:00:00Z');
    const [job] = reportJobs(w.services.reports, createLogger('silent'));
    expect(job).toMatchObject({ cron: '* * * * *', runAtStart: true });
    await job?.run(w.clock.now());
    const started = await w.store.manager.find(AuditEntry, { where: { action: 'report.started' } });
    expect(started.map((e) => e.createdAt.toISOString())).toEqual(['2026-11-24T10:00:00.000Z']);
    expect(await w.store.manager.count(OutboxMessage)).toBe(0);
    // The channel is set a week later: the week of 23 November ended after the first start.
    w.clock.set(new Date('2026-12-02T10:00:00Z'));
    const root = await w.services.people.resolve({ platform: 'slack', userId: 'UADMIN', displayName: 'admin' });
    await w.services.settings.set(root, 'management_channel', 'slack:CMGMT');
    await job?.run(w.clock.now());
    expect(await titles(w)).toEqual(['Weekly operations report · 2026-11-23 – 2026-11-29', 'Monthly operations report · 2026-11-01 – 2026-11-30', 'Audit report · 2026-11-01 – 2026-11-30']);
  });
});
