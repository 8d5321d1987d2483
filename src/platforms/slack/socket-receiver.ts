// Socket Mode: the same commands and interactions arrive over a WebSocket, already parsed, and are
// acknowledged through the envelope instead of an HTTP response. They take the same path as HTTP.
import type { Logger } from '../../logger.js';
import type { AckBody } from './acknowledger.js';
import type { ProcessInbound } from './http-receiver.js';
import { parseInteraction, parseSlashCommand, type InboundParse } from './inbound.js';
import type { SlackRequestMetrics } from './request-metrics.js';

/** What Socket Mode hands over for each envelope (the `slack_event` of @slack/socket-mode). */
export interface SocketEnvelope {
  type: string;
  body: unknown;
  ack: (response?: Record<string, unknown>) => Promise<void>;
}

/** The part of SocketModeClient this uses, so tests can drive it with a plain emitter. */
export interface SocketEventSource {
  on(event: 'slack_event', listener: (envelope: SocketEnvelope) => void): unknown;
}

function parseEnvelope(envelope: SocketEnvelope): InboundParse | undefined {
  if (envelope.type === 'slash_commands') return parseSlashCommand(envelope.body);
  if (envelope.type === 'interactive') return parseInteraction(envelope.body);
  return undefined;
}

export function listenToSocketMode(
  source: SocketEventSource,
  process: ProcessInbound,
  logger: Logger,
  requests: SlackRequestMetrics,
): void {
  source.on('slack_event', (envelope) => {
    const sendAck = (body: AckBody) => (body === undefined ? envelope.ack() : envelope.ack(body));
    const parse = parseEnvelope(envelope);
    if (!parse || !parse.ok) {
      // Events the bot does not subscribe to, or a payload it refuses: acknowledged so Slack does not resend.
      if (parse && !parse.ok) {
        logger.warn({ problem: parse.problem }, 'slack: socket payload refused');
        requests.count('other', 'refused');
      }
      void sendAck(undefined).catch((error: unknown) => logger.warn({ err: error }, 'slack: socket ack failed'));
      return;
    }
    void process(parse.inbound, sendAck).catch((error: unknown) => logger.error({ err: error }, 'slack: processing failed'));
  });
}
