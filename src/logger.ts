import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger };

// Secrets can reach a log line through a config object or an HTTP request; pino removes them.
const REDACT = [
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  '*.WEBHOOK_TOKEN',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'opsdesk' } };
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

/** A logger appending to a file, for the interactive terminal, where JSON lines would bury the conversation. */
export function createFileLogger(level: string, path: string): Logger {
  mkdirSync(dirname(path), { recursive: true });
  return createLogger(level, pino.destination({ dest: path, append: true }));
}
