import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/reports/chart.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { amBody, type AlertSpec } from '../helpers/alerts.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { parseAlertmanager, type Notification } from '../../src/monitoring/normalize.js';
import { OutboxMessage } from '../../src/store/entities/index.js';

const report = { title: 'Mail down', description: 'No mail', category: 'network' as const, impact: 1 as const, urgency: 2 as const, affectedSystem: 'mail-01' };

describe('/ops report weekly|monthly', { timeout: 180_000 }, () => {
  let world: TestWorld;
  let runtime: ChatRuntime;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'opsdesk-reports-'));
    process.env.REPORT_DIR = dir;
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    runtime = new ChatRuntime({ services: world.services, commands: COMMANDS, buttons: faultButtons, forms: faultForms, defaultLocale: 'en', clock: world.clock, timeZone: 'UTC', logger: createLogger('silent'), metrics: new Metrics() });
  });
  afterEach(async () => {
    delete process.env.REPORT_DIR;
    await world.store.close();
  });

  const command = (user: string, body: string, locale?: string) =>
    runtime.handle({ type: 'command', actor: { platform: 'slack', userId: user, displayName: user, ...(locale ? { locale } : {}) }, command: '/ops', text: body, channelId: 'C1' });

  it('posts the sections privately within Slack and Discord limits, with the chart PNG in the reader language', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    await command('UADMIN', 'role add <@ULI|li> engineer');
    const anna = await world.services.people.resolve({ platform: 'slack', userId: 'UANNA', displayName: 'anna' });
    const li = await world.services.people.resolve({ platform: 'slack', userId: 'ULI', displayName: 'li' });
    for (let i = 1; i <= 3; i++) await world.services.faults.report(anna, report);
    const window = { start: new Date('2026-11-26T21:00:00Z'), end: new Date('2026-11-26T22:00:00Z') };
    await world.services.changes.request(anna, { title: 'Patch', content: 'apply the patch', reason: 'security', expectedImpact: 'none', risk: 'low', type: 'standard', testPlan: 'staging', rollbackPlan: 'revert', window, configItems: ['mail-01'] });
    world.clock.advance(20 * 60_000);
    await world.services.faults.acknowledge(li, 1);
    await world.services.faults.resolve(li, 1, { rootCause: 'disk full', resolutionSteps: 'cleaned' });

    expect((await command('ULI', 'report weekly week')).type).toBe('private');
    // Volumes by kind count the change filed this week; priorities and categories are the faults'.
    const english = await command('UBOSS', 'report weekly week', 'en');
    const opened = english.type === 'private' ? english.message.fields?.find((f) => f.label.startsWith('Opened'))?.value : undefined;
    expect(opened?.split('\n').slice(0, 2)).toEqual(['4 (—)', 'faults 3 · changes 1']);
    // A report is titled by its kind, so the period must be of that kind.
    const refused = async (body: string) => {
      const r = await command('UBOSS', body);
      return r.type === 'private' ? (r.message.body ?? r.message.fallback) : r.type;
    };
    expect(await refused('report weekly 2026-11')).toContain('A weekly report covers one calendar week (Monday to Sunday), and 2026-11-01 – 2026-11-30 is not one');
    expect(await refused('report monthly 2025-01-01 2026-01-31')).toContain('A monthly report covers one calendar month, and 2025-01-01 – 2026-01-31 is not one');
    expect(await world.store.manager.count(OutboxMessage, { where: { targetKind: 'dm', targetId: 'UBOSS' } })).toBe(1);
    const reply = await command('UBOSS', 'report weekly week', 'zh-CN');
    if (reply.type !== 'private') throw new Error('expected a private reply');
    const m = reply.message;
    expect(m.title).toBe('运维周报 · 2026-11-23 – 2026-11-29');
    const fields = Object.fromEntries((m.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields['新建（按类型、优先级、类别）']).toContain('4 (—)\n故障 3 · 变更 1');
    // The category is named in the reader's language, not as its code.
    expect(fields['新建（按类型、优先级、类别）']).toContain('网络 3');
    expect(fields['新建（按类型、优先级、类别）']).not.toContain('network');
    expect(fields['故障最多的配置项']).toBe('mail-01 3');
    // Durations use the catalog's unit words in zh-CN (分钟, not m).
    expect(fields['平均响应时间（MTTA）']).toContain('20分钟');
    // Business hours and wall clock, as /ops kpi shows them (acknowledged 20 minutes after the report, in working time).
    expect(fields['平均响应时间（MTTA）']).toMatch(/^20分钟 \(.*\) · 工作时间\n20分钟 \(.*\) · 自然时间$/);
    // Slack: section text 3000, at most 10 fields of 2000; Discord: description 4096, 25 fields of 1024.
    expect((m.body ?? '').length).toBeLessThanOrEqual(3000);
    expect((m.fields ?? []).length).toBeLessThanOrEqual(10);
    for (const f of m.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);

    // The chart goes to the manager's own DM through the outbox (a private reply cannot carry a file).
    expect(m.context).toContain('图表已通过私信发送给你（opsdesk）。');
    const rows = await world.store.manager.find(OutboxMessage, { where: { targetKind: 'dm', targetId: 'UBOSS' }, order: { id: 'ASC' } });
    const sent = rows.map((r) => JSON.parse(r.payload) as ChatMessage).filter((x) => x.attachment);
    expect(sent).toHaveLength(2);
    const dm = sent[1] as ChatMessage;
    expect(dm.title).toBe('图表 · 运维周报 · 2026-11-23 – 2026-11-29');
    expect(dm.attachment).toMatchObject({ name: 'weekly-2026-11-23.png', mimeType: 'image/png', purpose: 'report' });
    const png = Buffer.from(dm.attachment?.base64 ?? '', 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  it('has an alerts section: volume, alert faults, cleared before anyone acted and the noisiest, against the week before', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    await command('UADMIN', 'role add <@ULI|li> engineer');
    const li = await world.services.people.resolve({ platform: 'slack', userId: 'ULI', displayName: 'li' });
    const am = (groupKey: string, alerts: AlertSpec[]): Notification => {
      const parsed = parseAlertmanager(JSON.parse(JSON.stringify(amBody(groupKey, alerts))));
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.notification;
    };
    // The week before (2026-11-16 – 22): one alert, one fault, acknowledged by li.
    world.clock.set(new Date('2026-11-18T10:00:00Z'));
    const before = await world.services.alerts.ingest(am('p1', [{ name: 'Disk', fingerprint: 'e100000000000001', instance: 'db1' }]));
    world.clock.advance(5 * 60_000);
    await world.services.faults.acknowledge(li, before.faultId ?? -1);
    // This week (2026-11-23 – 29): Blip fires, clears unattended and fires again (2 firings); Disk fires on two hosts.
    world.clock.set(new Date('2026-11-24T10:00:00Z'));
    const blip = (status: 'firing' | 'resolved', startsAt: string) => am('c1', [{ name: 'Blip', fingerprint: 'e200000000000001', instance: 'web1', status, startsAt }]);
    await world.services.alerts.ingest(blip('firing', '2026-11-24T09:59:00Z'));
    world.clock.advance(60_000);
    await world.services.alerts.ingest(blip('resolved', '2026-11-24T09:59:00Z'));
    world.clock.advance(60_000);
    await world.services.alerts.ingest(blip('firing', '2026-11-24T10:01:30Z'));
    world.clock.advance(60_000);
    await world.services.alerts.ingest(blip('resolved', '2026-11-24T10:01:30Z'));
    await world.services.alerts.ingest(am('c2', [{ name: 'Disk', fingerprint: 'e300000000000001', instance: 'db1' }, { name: 'Disk', fingerprint: 'e300000000000002', instance: 'db2' }]));

    const en = await command('UBOSS', 'report weekly week');
    if (en.type !== 'private') throw new Error('expected a private reply');
    const alerts = (en.message.fields ?? []).find((f) => f.label === 'Alerts');
    // 3 alerts against 1: +200%; firings 2 + 1 + 1 = 4 against 1: +300%; faults 2 against 1: +100%;
    // cleared unattended 1 (Blip) against 0 (no base: —). Noisiest by firings: Blip 2, Disk 2 (by name).
    expect(alerts?.value).toBe(['3 alerts (▲ 200%) · 4 firings (▲ 300%)', 'Alert faults: 2 (▲ 100%)', 'Cleared before anyone acted: 1 (—)', 'Noisiest: Blip 2 · Disk 2'].join('\n'));
    const zh = await command('UBOSS', 'report weekly week', 'zh-CN');
    if (zh.type !== 'private') throw new Error('expected a private reply');
    expect((zh.message.fields ?? []).find((f) => f.label === '告警')?.value).toContain('无人处理即已恢复：1（—）');
  });

  it('refuses engineers and bad periods', async () => {
    await command('UADMIN', 'role add <@ULI|li> engineer');
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    const refused = await command('ULI', 'report monthly');
    expect(refused.type === 'private' && refused.message.fallback).toContain('/ops report monthly needs the manager role');
    const bad = await command('UBOSS', 'report monthly yesterday');
    expect(bad.type === 'private' && bad.message.fallback).toContain('Unknown period');
  });
});
