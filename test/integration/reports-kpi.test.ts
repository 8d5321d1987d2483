import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { Identity, Person } from '../../src/store/entities/index.js';

function text(reply: ChatReply): string {
  if (reply.type !== 'private') throw new Error(`expected a private reply, got ${reply.type}`);
  return [reply.message.title, reply.message.body, ...(reply.message.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(reply.message.context ?? [])].filter(Boolean).join('\n');
}

const report = { title: 'Mail down', description: 'No mail', category: 'network' as const, impact: 1 as const, urgency: 2 as const, affectedSystem: 'mail-01' };

describe('/ops kpi over the real fault lifecycle', () => {
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

  const command = (user: string, body: string) => runtime.handle({ type: 'command', actor: { platform: 'slack', userId: user, displayName: user }, command: '/ops', text: body, channelId: 'C1' });

  it('credits the acknowledger and resolver from the timeline; detail lists the records and writes the CSV; engineers see only their own', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    await command('UADMIN', 'role add <@ULI|li> engineer');
    const anna = await world.services.people.resolve({ platform: 'slack', userId: 'UANNA', displayName: 'anna' });
    const li = await world.services.people.resolve({ platform: 'slack', userId: 'ULI', displayName: 'li' });
    await world.services.faults.report(anna, report); // Mon 2026-11-23 09:00 UTC
    world.clock.advance(10 * 60_000);
    await world.services.faults.acknowledge(li, 1);
    world.clock.advance(50 * 60_000);
    await world.services.faults.resolve(li, 1, { rootCause: 'disk full', resolutionSteps: 'cleaned' });

    // DESIGN.md: `/ops kpi [@user] [period]`; an engineer's own by default, `me` also read.
    expect(text(await command('ULI', 'kpi week'))).toBe(text(await command('ULI', 'kpi me week')));
    expect(text(await command('ULI', 'kpi <@ULI|li> week'))).toBe(text(await command('ULI', 'kpi me week')));
    const own = text(await command('ULI', 'kpi me week'));
    expect(own).toContain('KPIs · ULI · 2026-11-23 – 2026-11-29');
    expect(own).toContain('Records handled: 1');
    expect(own).toContain('wall clock: median 10m · mean 10m · p90 10m');
    expect(own).toContain('MTTR: wall clock: median 1h · mean 1h · p90 1h');
    expect(own).toContain('too few to rank');
    expect(own).toContain('Partial: the period has not ended.');

    expect(text(await command('ULI', 'kpi team week'))).toContain('/ops kpi team needs the manager role');
    expect(text(await command('ULI', 'kpi <@UBOSS|boss> week'))).toContain('/ops kpi @user needs the manager role');
    expect(text(await command('ULI', 'kpi person'))).toContain('/ops kpi [@user|team] [period] [detail]');
    expect(text(await command('UANNA', 'kpi week'))).toContain('/ops kpi needs the engineer role');

    const team = text(await command('UBOSS', 'kpi team week detail'));
    expect(team).toContain('MTTA: INC-1');
    // "Records handled" is drilled down like every other figure.
    expect(team).toContain('Records handled: INC-1\nMTTA: INC-1');
    const path = /CSV with every record behind the figures: (.+)$/m.exec(team)?.[1] as string;
    expect(path.startsWith(dir)).toBe(true);
    const csv = readFileSync(path, 'utf8').trim().split('\n');
    const header = csv[0]?.split(',') ?? [];
    expect(header.slice(0, 5)).toEqual(['figure', 'record', 'person_id', 'person', 'at']);
    // No cell here holds a comma: each line read by the header's columns.
    const rows = csv.slice(1).map((line) => Object.fromEntries(line.split(',').map((cell, i) => [header[i] ?? `?${i}`, cell])));
    const rowsOf = (figure: string) => rows.filter((r) => r.figure === figure && r.record === 'INC-1');
    // The person credited is named next to the id.
    expect(rowsOf('mtta')).toHaveLength(1);
    expect(rowsOf('mtta')[0]).toMatchObject({ person_id: String(li.personId), person: 'ULI' });
    // The inputs' instants are written as UTC ISO 8601: created 09:00, acknowledged 10 minutes later.
    expect(rowsOf('mtta')[0]).toMatchObject({ createdAt: '2026-11-23T09:00:00.000Z', respondedAt: '2026-11-23T09:10:00.000Z', wallMs: '600000' });
    expect(rowsOf('mttr')).toHaveLength(1);
    // Records handled: one row for INC-1 with the steps that made it count (li acknowledged and resolved).
    expect(rowsOf('handled')).toEqual([
      expect.objectContaining({ person_id: String(li.personId), person: 'ULI', at: '2026-11-23T09:10:00.000Z', kind: 'fault', respondedAt: '2026-11-23T09:10:00.000Z', resolutions: '1', resolvedAt: '2026-11-23T10:00:00.000Z', startedAt: '' }),
    ]);
    expect(rows.filter((r) => r.figure === 'handled')).toHaveLength(1);

    expect(text(await command('UBOSS', 'kpi person <@ULI|li> last-month'))).toContain('Records handled: 0');
    expect(text(await command('UBOSS', 'kpi <@ULI|li> week'))).toContain('KPIs · ULI · 2026-11-23 – 2026-11-29');
    // The file of a person's CSV names them (id and name) and both ends of the period; no answer
    // overwrites an earlier one.
    const csvPath = async (args: string) => /CSV with every record behind the figures: (.+)$/m.exec(text(await command('UBOSS', args)))?.[1] ?? '';
    const personal = await csvPath('kpi person <@ULI|li> week detail');
    expect(personal).toMatch(new RegExp(`kpi-p${li.personId}-ULI-2026-11-23-2026-11-29\\.csv$`));
    const days = await csvPath('kpi <@ULI|li> 2026-11-23 2026-11-24 detail');
    expect(days).toMatch(new RegExp(`kpi-p${li.personId}-ULI-2026-11-23-2026-11-24\\.csv$`));
    const again = await csvPath('kpi person <@ULI|li> week detail');
    expect(again).toMatch(new RegExp(`kpi-p${li.personId}-ULI-2026-11-23-2026-11-29-2\\.csv$`));
    expect(text(await command('UBOSS', 'kpi team 2026-13'))).toContain('There is no month 2026-13');
    // A period that is not one is echoed as typed, not as re-joined words.
    expect(text(await command('UBOSS', 'kpi <b>week</b>'))).toContain('Unknown period "<b>week</b>"');
    expect(text(await command('UBOSS', 'kpi team <b>week</b> x'))).toContain('Unknown period "<b>week</b> x"');
    expect(text(await command('UBOSS', 'kpi team 2026-03-01 2026-02-01'))).toContain('FROM 2026-03-01 is after TO 2026-02-01');
  });

  it('refuses a person opsdesk has never seen, without creating them', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    const before = [await world.store.manager.count(Person), await world.store.manager.count(Identity)];
    expect(text(await command('UBOSS', 'kpi person <@UNOBODY|nobody> month'))).toContain('Unknown person "nobody"');
    expect([await world.store.manager.count(Person), await world.store.manager.count(Identity)]).toEqual(before);
  });
});
