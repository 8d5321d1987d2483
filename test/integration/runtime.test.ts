import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { ChatReply, InboundEvent } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { Fault, Person } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const actor = (userId: string, locale?: string) => ({ platform: 'slack' as const, userId, displayName: userId, ...(locale ? { locale } : {}) });

function text(reply: ChatReply): string {
  if (reply.type !== 'private') throw new Error(`expected a private reply, got ${reply.type}`);
  return [reply.message.title, reply.message.body, ...(reply.message.context ?? [])].filter(Boolean).join('\n');
}

describe('chat runtime over the real services', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;
  let logLines: string[];
  let metrics: Metrics;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    metrics = new Metrics();
    runtime = new ChatRuntime({
      services: world.services,
      commands: COMMANDS,
      buttons: faultButtons,
      forms: faultForms,
      defaultLocale: 'en',
      clock: world.clock,
      timeZone: 'UTC',
      logger: createLogger('info', sink),
      metrics,
    });
  });
  afterEach(async () => world.store.close());

  const send = (event: InboundEvent) => runtime.handle(event);
  const command = (user: string, name: string, body: string, locale?: string) =>
    send({ type: 'command', actor: actor(user, locale), command: name, text: body, channelId: 'C1' });
  const submitReport = (user: string, values: Record<string, string>) =>
    send({ type: 'formSubmit', actor: actor(user), formId: 'fault.report', context: '', values });

  it('opens the report form with medium impact and urgency preselected', async () => {
    const reply = await command('UANNA', '/fault', '');
    expect(reply.type).toBe('form');
    if (reply.type !== 'form') return;
    expect(reply.form.formId).toBe('fault.report');
    expect(reply.form.fields.map((f) => f.id)).toEqual(['title', 'description', 'category', 'impact', 'urgency', 'affectedSystem']);
    expect(reply.form.fields.find((f) => f.id === 'impact')?.initial).toBe('2');
  });

  it('returns field errors for a bad report and creates nothing', async () => {
    const reply = await submitReport('UANNA', { title: '  ', description: 'x'.repeat(5000), category: 'plumbing', impact: '2', urgency: '2' });
    expect(reply).toEqual({
      type: 'fieldErrors',
      errors: { title: 'This field is required.', description: 'Keep it to 4000 characters.', category: 'Pick one of the offered choices.' },
      locale: 'en',
    });
    expect(await world.store.manager.count(Fault)).toBe(0);
  });

  it('reports, then refuses a requester acknowledging with a helpful private message', async () => {
    const reply = await submitReport('UANNA', { title: 'VPN down', description: 'No VPN since 9', category: 'network', impact: '1', urgency: '1', affectedSystem: '' });
    expect(text(reply)).toContain('INC-1 (P1) is reported');
    const refused = await send({ type: 'button', actor: actor('UBOB'), actionId: 'fault.ack', value: 'INC-1', channelId: 'C1' });
    expect(text(refused)).toBe('Only engineers can acknowledge faults. Ask an admin: /ops role add @you engineer');
    expect((await world.services.faults.get(1)).state).toBe('reported');
  });

  it('shows an empty root cause as a field error on the resolve form', async () => {
    await command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
    await submitReport('UANNA', { title: 'VPN down', description: 'No VPN', category: 'network', impact: '1', urgency: '1' });
    const form = await send({ type: 'button', actor: actor('UENG'), actionId: 'fault.resolve', value: 'INC-1', channelId: 'C1' });
    expect(form.type === 'form' && form.form.formId).toBe('fault.resolve');
    const reply = await send({ type: 'formSubmit', actor: actor('UENG'), formId: 'fault.resolve', context: 'INC-1', values: { rootCause: ' ', resolutionSteps: 'Restarted' } });
    expect(reply).toEqual({ type: 'fieldErrors', errors: { rootCause: 'This field is required.' }, locale: 'en' });
    expect((await world.services.faults.get(1)).state).toBe('reported');
  });

  it('refuses a person named in a command by a name /as refuses (-cmd), and creates nobody', async () => {
    const refused = await command('UADMIN', '/ops', 'role add @-cmd engineer');
    expect(text(refused)).toContain('"@-cmd" is not a person.');
    expect(await world.store.manager.findOneBy(Person, { displayName: '-cmd' })).toBeNull();
    expect(text(await command('UADMIN', '/ops', 'role add @.hidden engineer'))).toContain('"@.hidden" is not a person.');
    expect(text(await command('UADMIN', '/ops', 'role add @li.wei engineer'))).toContain('is now');
    expect(await world.store.manager.findOneBy(Person, { displayName: 'li.wei' })).not.toBeNull();
  });

  it('answers in the user’s own locale', async () => {
    const reply = await command('UANNA', '/fault', 'show INC-99', 'zh-CN');
    expect(text(reply)).toBe('没有故障 INC-99。请用 /fault list 核对编号。');
  });

  it('guards admin subcommands by role, naming the subcommand typed, and explains how to get it', async () => {
    const reply = await command('UANNA', '/ops', 'role add <@UX> engineer');
    expect(text(reply)).toBe('/ops role add needs the admin role. Ask an admin: /ops role add @you admin');
    // The subcommand is named in its canonical spelling, whatever the case typed, in each language.
    expect(text(await command('UANNA', '/ops', 'KPI Team week'))).toBe('/ops kpi team needs the manager role. Ask an admin: /ops role add @you manager');
    // The role's name is translated; the command to grant it keeps the code /ops role add accepts.
    expect(text(await command('UANNA', '/ops', 'kpi team week', 'zh-CN'))).toBe('/ops kpi team 需要经理角色。请联系管理员：/ops role add @you manager');
    expect(text(await command('UANNA', '/ops', 'report alerts month', 'zh-CN'))).toBe('/ops report alerts 需要工程师角色。请联系管理员：/ops role add @you engineer');
    // A subcommand the person may run is not refused: /ops kpi me is the engineers' own.
    await command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
    expect(text(await command('UENG', '/ops', 'kpi team'))).toBe('/ops kpi team needs the manager role. Ask an admin: /ops role add @you manager');
    expect(text(await command('UENG', '/ops', 'kpi me week'))).toContain('KPIs · UENG · ');
  });

  it('lists, searches and shows faults with the timeline', async () => {
    await command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
    await submitReport('UANNA', { title: 'Printer jam', description: 'Floor 3 printer', category: 'hardware', impact: '3', urgency: '3' });
    await submitReport('UANNA', { title: 'VPN down', description: 'No VPN', category: 'network', impact: '1', urgency: '1' });
    await send({ type: 'button', actor: actor('UENG'), actionId: 'fault.ack', value: 'INC-2', channelId: 'C1' });
    expect(text(await command('UANNA', '/fault', 'list'))).toMatch(/INC-2 · P1 · Acknowledged · 0 min · VPN down\nINC-1 · P4 · Reported/);
    const search = text(await command('UANNA', '/fault', 'search PRINTER'));
    expect(search).toContain('INC-1');
    expect(search).not.toContain('INC-2');
    const show = text(await command('UANNA', '/fault', 'show inc-2'));
    expect(show).toContain('INC-2 · P1 · VPN down');
    expect(show).toMatch(/Timeline\n.*UANNA: reported\n.*UENG: acknowledged/);
  });

  it('lets admins set and read the fault channel, and refuses junk', async () => {
    expect(text(await command('UADMIN', '/ops', 'config set fault_channel <#C777|ops-faults>'))).toBe('fault_channel is now slack:C777.');
    expect(text(await command('UADMIN', '/ops', 'config get fault_channel'))).toContain('fault_channel: slack:C777');
    expect(text(await command('UADMIN', '/ops', 'config set fault_channel "no such thing!"'))).toContain('is not a channel');
    expect(await world.services.settings.get('fault_channel')).toBe('slack:C777');
  });

  it('shows a reference id for an unexpected error and logs it', async () => {
    await world.store.close();
    const reply = await command('UANNA', '/fault', 'list');
    const match = /reference ([0-9a-f]{8})/.exec(text(reply));
    expect(match).not.toBeNull();
    const logged = logLines.map((l) => JSON.parse(l) as { ref?: string; level: number }).find((l) => l.ref === match?.[1]);
    expect(logged?.level).toBe(50);
    world = await openTestWorld();
  });

  it('verifies the audit chain for managers only', async () => {
    await command('UADMIN', '/ops', 'role add <@UBOSS|boss> manager');
    await submitReport('UANNA', { title: 'VPN down', description: 'No VPN', category: 'network', impact: '1', urgency: '1' });
    expect(text(await command('UBOSS', '/ops', 'audit verify'))).toBe('The audit log is intact: 3 entries, each chained to the one before by SHA-256.');
    expect(text(await command('UANNA', '/ops', 'audit verify'))).toBe('/ops audit verify needs the approver role. Ask an admin: /ops role add @you approver');
    await world.store.manager.query("UPDATE audit_log SET actor_label = 'someone else' WHERE id = 2");
    expect(text(await command('UBOSS', '/ops', 'audit verify'))).toContain('entry #2 does not match the chain (1 entry before it is intact)');
  });

  it('counts commands and actions by outcome', async () => {
    await command('UANNA', '/fault', 'list');
    await command('UANNA', '/fault', 'list nonsense');
    const body = await metrics.registry.metrics();
    expect(body).toContain('opsdesk_commands_total{platform="slack",outcome="ok",command="fault"} 1');
    expect(body).toContain('opsdesk_commands_total{platform="slack",outcome="user_error",command="fault"} 1');
  });
});
