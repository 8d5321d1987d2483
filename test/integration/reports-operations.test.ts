import { mkdtempSync, readFileSync } from 'node:fs';
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
    world.clock.advance(20 * 60_000);
    await world.services.faults.acknowledge(li, 1);
    await world.services.faults.resolve(li, 1, { rootCause: 'disk full', resolutionSteps: 'cleaned' });

    expect((await command('ULI', 'report weekly week')).type).toBe('private');
    const reply = await command('UBOSS', 'report weekly week', 'zh-CN');
    if (reply.type !== 'private') throw new Error('expected a private reply');
    const m = reply.message;
    expect(m.title).toBe('运维周报 · 2026-11-23 – 2026-11-29');
    const fields = Object.fromEntries((m.fields ?? []).map((f) => [f.label, f.value]));
    expect(fields['新建（按类型、优先级、类别）']).toContain('3 (—)');
    expect(fields['故障最多的配置项']).toBe('mail-01 3');
    expect(fields['平均响应时间（MTTA）']).toContain('0m');
    // Slack: section text 3000, at most 10 fields of 2000; Discord: description 4096, 25 fields of 1024.
    expect((m.body ?? '').length).toBeLessThanOrEqual(3000);
    expect((m.fields ?? []).length).toBeLessThanOrEqual(10);
    for (const f of m.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);

    const path = /图表：(.+\.png)$/m.exec((m.context ?? []).join('\n'))?.[1] as string;
    expect(path.startsWith(dir)).toBe(true);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  it('refuses engineers and bad periods', async () => {
    await command('UADMIN', 'role add <@ULI|li> engineer');
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    const refused = await command('ULI', 'report monthly');
    expect(refused.type === 'private' && refused.message.fallback).toContain('needs the manager role');
    const bad = await command('UBOSS', 'report monthly yesterday');
    expect(bad.type === 'private' && bad.message.fallback).toContain('Unknown period');
  });
});
