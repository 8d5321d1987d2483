import { Writable } from 'node:stream';
import { COMMANDS } from '../../commands/index.js';
import { BUTTONS, FORMS } from '../../src/capabilities.js';
import type { ChatReply, InboundEvent } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import type { TestWorld } from './db.js';

/** The real runtime with every command, button and form, over a test world; Slack-like actors. */
export function testRuntime(world: TestWorld): {
  command: (user: string, name: string, text: string) => Promise<ChatReply>;
  submit: (user: string, formId: string, context: string, values: Record<string, string>) => Promise<ChatReply>;
  click: (user: string, actionId: string, value: string) => Promise<ChatReply>;
} {
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const runtime = new ChatRuntime({
    services: world.services,
    commands: COMMANDS,
    buttons: BUTTONS,
    forms: FORMS,
    defaultLocale: 'en',
    clock: world.clock,
    timeZone: 'UTC',
    logger: createLogger('info', sink),
    metrics: new Metrics(),
  });
  const actor = (userId: string) => ({ platform: 'slack' as const, userId, displayName: userId.toLowerCase() });
  const send = (event: InboundEvent) => runtime.handle(event);
  return {
    command: (user, name, text) => send({ type: 'command', actor: actor(user), command: name, text, channelId: 'C1' }),
    submit: (user, formId, context, values) => send({ type: 'formSubmit', actor: actor(user), formId, context, values }),
    click: (user, actionId, value) => send({ type: 'button', actor: actor(user), actionId, value, channelId: 'C1' }),
  };
}

/** The text of a private reply (title, body, fields, context), for assertions. */
export function replyText(reply: ChatReply): string {
  if (reply.type === 'fieldErrors') return Object.values(reply.errors).join('\n');
  if (reply.type !== 'private') throw new Error(`expected a private reply, got ${reply.type}`);
  const m = reply.message;
  return [m.title, ...(m.fields ?? []).map((f) => `${f.label}: ${f.value}`), m.body, ...(m.context ?? [])].filter(Boolean).join('\n');
}
