import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import type { ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { faultButtons, faultForms } from '../../src/faults/interactions.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const P1 = { title: 'Mail server down', description: 'Nobody can send mail', category: 'network' as const, impact: 1 as const, urgency: 1 as const };

function text(reply: ChatReply): string {
  if (reply.type !== 'private') throw new Error(`expected a message, got ${reply.type}`);
  return [reply.message.title, reply.message.body, ...(reply.message.fields ?? []).map((f) => `${f.label}: ${f.value}`), ...(reply.message.context ?? [])].filter(Boolean).join('\n');
}

describe('an SLA breach of a record still open, in the reports, the audit and the timeline', { timeout: 120_000 }, () => {
  let world: TestWorld;
  let runtime: ChatRuntime;

  beforeEach(async () => {
    // Monday 2026-11-23 09:00 UTC; a P1 response is due in 15 min, its resolution in 4 h.
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    runtime = new ChatRuntime({ services: world.services, commands: COMMANDS, buttons: faultButtons, forms: faultForms, defaultLocale: 'en', clock: world.clock, timeZone: 'UTC', logger: createLogger('silent'), metrics: new Metrics() });
  });
  afterEach(async () => world.store.close());

  const run = (command: string, user: string, body: string) =>
    runtime.handle({ type: 'command', actor: { platform: 'slack', userId: user, displayName: user }, command, text: body, channelId: 'C1' });

  it('counts an unacknowledged P1 past its response deadline, lists it in the audit and shows it on the timeline', async () => {
    await run('/ops', 'UADMIN', 'role add <@UBOSS|boss> manager');
    const anna = await world.services.people.resolve({ platform: 'slack', userId: 'UANNA', displayName: 'anna' });
    await world.services.faults.report(anna, P1);
    world.clock.advance(20 * 60_000); // 09:20: the response (due 09:15) is overdue
    await world.services.slaSweep.run();

    const weekly = text(await run('/ops', 'UBOSS', 'report weekly week'));
    expect(weekly).toContain('SLA breaches and overdue records: 1\n• INC-1');
    const audit = text(await run('/ops', 'UBOSS', 'audit report month'));
    expect(audit).toContain('response SLA breached (P1)');
    expect(text(await run('/fault', 'UBOSS', 'show INC-1'))).toContain('response SLA breached');

    // 13:30: the resolution (due 13:00) is overdue too; still one record in the operations report.
    world.clock.advance(4 * 60 * 60_000 + 10 * 60_000);
    await world.services.slaSweep.run();
    expect(text(await run('/ops', 'UBOSS', 'report weekly week'))).toContain('SLA breaches and overdue records: 1\n• INC-1');
    const later = text(await run('/ops', 'UBOSS', 'audit report month'));
    expect(later).toContain('response SLA breached (P1)');
    expect(later).toContain('• INC-1: open past its resolution deadline');
  });
});
