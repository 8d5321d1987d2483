import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { Acknowledger, type AckBody } from '../../src/platforms/slack/acknowledger.js';
import type { SlackInbound } from '../../src/platforms/slack/inbound.js';
import { SlackRequestMetrics } from '../../src/platforms/slack/request-metrics.js';
import { listenToSocketMode, type SocketEnvelope } from '../../src/platforms/slack/socket-receiver.js';

const logger = createLogger('silent');

function socket() {
  const emitter = new EventEmitter();
  const seen: SlackInbound[] = [];
  listenToSocketMode(
    emitter,
    async (inbound, sendAck) => {
      seen.push(inbound);
      await sendAck({ response_type: 'ephemeral', text: 'hi' });
    },
    logger,
    new SlackRequestMetrics(new Metrics()),
  );
  const deliver = async (type: string, body: unknown) => {
    const ack = vi.fn<SocketEnvelope['ack']>(async () => undefined);
    emitter.emit('slack_event', { type, body, ack });
    await vi.waitFor(() => expect(ack).toHaveBeenCalled());
    return ack;
  };
  return { seen, deliver };
}

describe('Socket Mode receiver', () => {
  it('feeds slash commands to the same path as HTTP and acks through the envelope', async () => {
    const { seen, deliver } = socket();
    const ack = await deliver('slash_commands', {
      user_id: 'U0ALICE',
      user_name: 'alice',
      command: '/fault',
      text: 'list',
      channel_id: 'C0OPS',
      response_url: 'https://hooks.slack.com/commands/1',
      trigger_id: '1.2.3',
    });
    expect(seen[0]).toMatchObject({ kind: 'command', event: { command: 'fault', text: 'list' } });
    expect(ack).toHaveBeenCalledWith({ response_type: 'ephemeral', text: 'hi' });
  });

  it('acks events it does not handle, and payloads it refuses, without processing them', async () => {
    const { seen, deliver } = socket();
    expect(await deliver('events_api', { event: { type: 'app_mention' } })).toHaveBeenCalledWith();
    expect(await deliver('interactive', { type: 'block_actions', actions: [] })).toHaveBeenCalledWith();
    expect(seen).toHaveLength(0);
  });
});

describe('Acknowledger', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers empty by itself at the deadline, exactly once', async () => {
    vi.useFakeTimers();
    const sent: AckBody[] = [];
    const ack = new Acknowledger(async (body) => void sent.push(body), 2_700, logger);
    await vi.advanceTimersByTimeAsync(2_700);
    expect(sent).toEqual([undefined]);
    expect(await ack.ack({ response_action: 'errors' })).toBe(false);
    expect(sent).toHaveLength(1);
  });

  it('lets the first real answer through and cancels the deadline', async () => {
    vi.useFakeTimers();
    const sent: AckBody[] = [];
    const ack = new Acknowledger(async (body) => void sent.push(body), 2_700, logger);
    expect(await ack.ack({ text: 'hi' })).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toEqual([{ text: 'hi' }]);
  });
});
