import { makeDirectorySync } from './make-dir.js';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';

export type { Logger };

// Secrets can reach a log line through a config object or an HTTP request; pino removes them.
const REDACT = [
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  '*.WEBHOOK_TOKEN',
  '*.DISCORD_TOKEN',
  '*.DISCORD_PUBLIC_KEY',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-slack-signature"]',
];

/**
 * Database errors carry the failed query and its parameters, which can hold anything a person typed or
 * chose (an anonymous vote, say): log the error's message and stack, never its data.
 */
function errorWithoutData(error: Error): Record<string, unknown> {
  const serialised: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  for (const field of ['query', 'parameters', 'driverError', 'data']) delete serialised[field];
  return serialised;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { app: 'opsdesk' },
    serializers: { err: errorWithoutData },
  };
  return destination ? pino(options, destination) : pino(options, pino.destination(2));
}

/** A logger appending to a file, for the interactive terminal, where JSON lines would bury the conversation. */
export function createFileLogger(level: string, path: string): Logger {
  makeDirectorySync(dirname(path));
  return createLogger(level, pino.destination({ dest: path, append: true }));
}
