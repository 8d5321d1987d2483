// Nobody can type a mention node (src/chat/markup.ts): the runtime strips its delimiters from every
// command and form answer, so a stored text renders on Slack as escaped text, never as a mention.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { BUTTONS, FORMS } from '../../src/capabilities.js';
import { textParts } from '../../src/chat/markup.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { renderMessage } from '../../src/platforms/slack/render.js';
import { Fault, OutboxMessage, Person } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { slackLiveTokens } from '../helpers/live-markup.js';

describe('typed mention nodes', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;

  beforeEach(async () => {
    world = await openTestWorld({ faultChannel: 'slack:CFAULTS' });
    runtime = new ChatRuntime({ services: world.services, commands: COMMANDS, buttons: BUTTONS, forms: FORMS, defaultLocale: 'en', clock: world.clock, timeZone: 'Europe/Berlin', logger: createLogger('silent'), metrics: new Metrics() });
  });
  afterEach(async () => world.store.close());

  it('are stripped from form answers, so the announced card mentions nobody', async () => {
    const forged = '\uE000UBOSS\uE001 says <!channel>';
    const reply = await runtime.handle({
      type: 'formSubmit',
      actor: { platform: 'slack', userId: 'UANNA', displayName: 'anna' },
      formId: 'fault.report',
      context: '',
      values: { title: forged, description: forged, category: 'network', impact: '2', urgency: '2', affectedSystem: '' },
    });
    expect(reply.type).not.toBe('fieldErrors');
    const fault = await world.store.manager.findOneByOrFail(Fault, { id: 1 });
    expect([fault.title, fault.description]).toEqual(['UBOSS says <!channel>', 'UBOSS says <!channel>']);
    const card = await world.store.manager.findOneByOrFail(OutboxMessage, { platform: 'slack', targetKind: 'channel', targetId: 'CFAULTS' });
    const message = JSON.parse(card.payload) as ChatMessage;
    expect(textParts(message.body ?? '')).toEqual([{ kind: 'text', text: 'UBOSS says <!channel>' }]);
    expect(slackLiveTokens(renderMessage(message))).toEqual(['<@UANNA>']);
  });

  it('are stripped from display names, which anyone can choose on Discord', async () => {
    await runtime.handle({ type: 'command', actor: { platform: 'discord', userId: '123456789012345678', displayName: 'x \uE000UBOSS\uE001' }, command: 'fault', text: 'list', channelId: 'C1' });
    const person = await world.store.manager.findOneByOrFail(Person, { id: 1 });
    expect(person.displayName).toBe('x UBOSS');
    expect(textParts(person.displayName)).toEqual([{ kind: 'text', text: 'x UBOSS' }]);
  });
});
