// HTTP interactions mode: `POST /discord/interactions` on the shared server. The signature is checked
// on the raw body before anything is read; the initial response is the HTTP response itself, and
// everything later goes through REST. This is the mode for several replicas behind a load balancer.
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerUnavailable, type HttpServer, type UnavailableReason } from '../../http/server.js';
import { RefusalLog } from '../../http/refusal-log.js';
import type { Logger } from '../../logger.js';
import { parseInteraction } from './inbound.js';
import type { DiscordInteractionProcessor } from './processor.js';
import { verifyDiscordSignature } from './signature.js';

export const DISCORD_INTERACTIONS_PATH = '/discord/interactions';

export interface HttpInteractionsOptions {
  http: HttpServer;
  publicKey: KeyObject;
  processor: DiscordInteractionProcessor;
  logger: Logger;
  /**
   * True while interactions are processed; otherwise why not (before the token is proven: `starting`;
   * after stop: `stopping`). Discord then gets the server's 503 with Retry-After and tries again later.
   */
  availability(): true | UnavailableReason;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function mountHttpInteractions(options: HttpInteractionsOptions): void {
  const { http, publicKey, processor, logger } = options;
  // Discord sends bad signatures on purpose as spot checks, and anyone else can at any rate (refusal-log.ts).
  const forged = new RefusalLog(logger, 'discord: interaction with a bad signature refused');
  http.add('POST', DISCORD_INTERACTIONS_PATH, async (req, res, rawBody) => {
    const signed = { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp'), rawBody };
    if (!verifyDiscordSignature(publicKey, signed)) {
      forged.refused({ ip: req.socket.remoteAddress });
      return json(res, 401, { error: 'invalid request signature' });
    }
    const availability = options.availability();
    if (availability !== true) return answerUnavailable(res, availability);
    const parsed = parseInteraction(parseJson(rawBody));
    if (!parsed.ok) {
      logger.warn({ problem: parsed.problem }, 'discord: unreadable interaction refused');
      return json(res, 400, { error: 'bad request' });
    }
    await processor.process(parsed.inbound, async (response) => json(res, 200, response));
    // Only traffic the bot does not act on leaves without an answer.
    if (!res.headersSent) json(res, 400, { error: 'not handled' });
  });
}
