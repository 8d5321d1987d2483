import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { hashEntry } from '../../src/audit/chain.js';
import type { ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { AuditEntry } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

function text(reply: ChatReply): string {
  if (reply.type !== 'private') throw new Error(`expected a private reply, got ${reply.type}`);
  return [reply.message.title, reply.message.body, ...(reply.message.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(reply.message.context ?? [])].filter(Boolean).join('\n');
}

describe('/ops audit report and verify against the report anchor (policy 5.1)', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    runtime = new ChatRuntime({ services: world.services, commands: COMMANDS, buttons: faultButtons, forms: faultForms, defaultLocale: 'en', clock: world.clock, timeZone: 'UTC', logger: createLogger('silent'), metrics: new Metrics() });
  });
  afterEach(async () => world.store.close());

  const command = (user: string, body: string, locale?: string) =>
    runtime.handle({ type: 'command', actor: { platform: 'slack', userId: user, displayName: user, ...(locale ? { locale } : {}) }, command: '/ops', text: body, channelId: 'C1' });

  it('lists the period findings with the chain head, and detects a later rewrite through that head', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    const report = text(await command('UBOSS', 'audit week'));
    expect(report).toContain('Audit report · 2026-11-23 – 2026-11-29');
    // `/ops audit` alone is last month's report (DESIGN.md: `audit [verify [HASH]]`); `report` is still read.
    expect(text(await command('UBOSS', 'audit'))).toContain('Audit report · 2026-10-01 – 2026-10-31');
    expect(text(await command('UBOSS', 'audit report week'))).toContain('Audit report · 2026-11-23 – 2026-11-29');
    // The person concerned is named, not numbered.
    expect(report).toContain('• UBOSS: role manager granted by UADMIN');
    expect(report).not.toContain('person #');
    expect(report).toContain('Audit chain: intact, 2 entries');
    const anchor = /verify\): (\d+:[0-9a-f]{64})/.exec(report)?.[1] as string;
    expect(anchor).toMatch(/^2:/);

    await command('UADMIN', 'role add <@ULI|li> engineer');
    expect(text(await command('UBOSS', `audit verify ${anchor}`))).toContain('is still entry 2: nothing before it was rewritten');
    // Approvers verify the audit log too (README), but the report stays the managers'.
    await command('UADMIN', 'role add <@UAPP|app> approver');
    expect(text(await command('UAPP', `audit verify ${anchor}`))).toContain('is still entry 2: nothing before it was rewritten');
    expect(text(await command('UAPP', 'audit week'))).toContain('/ops audit needs the manager role');

    // Rewrite the first entry and re-chain everything after it: internally consistent, but not the reported chain.
    const rows = await world.store.manager.find(AuditEntry, { order: { id: 'ASC' } });
    let previous = '0'.repeat(64);
    for (const row of rows) {
      if (row.id === 1) row.actorLabel = 'nobody';
      row.prevHash = previous;
      row.hash = hashEntry(row);
      previous = row.hash;
      await world.store.manager.save(AuditEntry, row);
    }
    const after = text(await command('UBOSS', `audit verify ${anchor}`));
    expect(after).toContain('The audit log is intact: 4 entries');
    expect(after).toContain('no longer in the chain');
  });

  it('in Chinese, and refuses bad input and non-managers without changing anything', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    expect(text(await command('UBOSS', 'audit report 2026-11', 'zh-CN'))).toContain('审计报告 · 2026-11-01 – 2026-11-30');
    // The platform said zh-CN once: it is the person's language from then on, when an event carries none.
    expect(text(await command('UBOSS', 'audit report someday'))).toContain('无法识别的期间“someday”');
    expect(text(await command('UBOSS', 'audit report someday', 'en'))).toContain('Unknown period "someday"');
    expect(text(await command('UBOSS', 'audit report 2026-12-01 2026-11-01', 'en'))).toContain('FROM 2026-12-01 is after TO 2026-11-01');
    expect(text(await command('UBOSS', 'audit verify 12:nothex', 'en'))).toContain('That is not a chain head');
    expect(text(await command('UBOSS', 'audit verify <b>zz</b>', 'en'))).not.toContain('intact');
    expect(text(await command('UBOSS', 'audit verify 2:ab 3:cd', 'en'))).toContain('/ops audit verify [N:HASH]');
    expect(text(await command('UANNA', 'audit 2026-11'))).toContain('/ops audit needs the manager role');
    expect(text(await command('UANNA', 'audit verify'))).toContain('/ops audit verify needs the approver role');
    expect(await world.store.manager.count(AuditEntry)).toBe(2);
  });

  it('offers no chain head when the chain is broken, and says from which entry', async () => {
    await command('UADMIN', 'role add <@UBOSS|boss> manager');
    await command('UADMIN', 'role add <@ULI|li> engineer');
    // Edit the second entry without re-chaining: the chain breaks there.
    const second = await world.store.manager.findOneOrFail(AuditEntry, { where: { id: 2 } });
    second.actorLabel = 'someone else';
    await world.store.manager.save(AuditEntry, second);
    const report = text(await command('UBOSS', 'audit report week', 'en'));
    expect(report).toContain('BROKEN at entry #2');
    expect(report).toContain('The audit chain is broken from entry #2 on: no chain head is offered');
    expect(report).not.toContain('Chain head');
  });
});
