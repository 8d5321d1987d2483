import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import type { Locale } from '../../src/chat/i18n/catalog.js';
import type { ChatReply, InboundEvent } from '../../src/chat/model.js';
import type { PlatformAdapter } from '../../src/platforms/port.js';
import { createShellAdapter } from '../../src/platforms/shell/index.js';

export type Script = (event: InboundEvent, index: number) => ChatReply | Promise<ChatReply>;

/** The shell adapter on in-memory streams, with a handler that records events and answers from a script. */
export function harness(script: Script = () => ({ type: 'done' }), options: { locale?: Locale; initialUser?: string } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => {
    text += chunk;
  });
  const events: InboundEvent[] = [];
  let closeCount = 0;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const adapter = createShellAdapter({
    handler: {
      handle: async (event) => {
        events.push(event);
        return script(event, events.length - 1);
      },
    },
    input,
    output,
    locale: options.locale ?? 'en',
    initialUser: options.initialUser ?? 'alice',
    onClose: () => {
      closeCount += 1;
      markClosed();
    },
  });
  started.push(adapter);
  return {
    adapter,
    events,
    input,
    output: () => text,
    closeCount: () => closeCount,
    /** Types the lines, ends the input and waits until the session has handled everything. */
    async run(...lines: string[]) {
      await adapter.start();
      input.end(lines.map((line) => `${line}\n`).join(''));
      await closed;
      return text;
    },
    async waitFor(fragment: string) {
      for (let i = 0; i < 200 && !text.includes(fragment); i++) await new Promise((r) => setTimeout(r, 5));
      expect(text).toContain(fragment);
    },
  };
}

const started: PlatformAdapter[] = [];

/** Stops every shell adapter a harness started (each test file calls it after each test). */
export async function stopShells(): Promise<void> {
  await Promise.all(started.splice(0).map((adapter) => adapter.stop()));
}
