// The Slack SDKs log through their own Logger interface; this one sends their lines to pino, so they
// are structured, redacted and filtered like the rest of the bot's logs.
import { LogLevel, type Logger as SlackSdkLogger } from '@slack/web-api';
import type { Logger } from '../../logger.js';

const SDK_LEVEL_OF_PINO: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
};

function line(parts: unknown[]): string {
  return parts.map((part) => (part instanceof Error ? part.message : String(part))).join(' ');
}

export function sdkLogger(logger: Logger, component: string): SlackSdkLogger {
  let child = logger.child({ component });
  return {
    debug: (...msg: unknown[]) => child.debug(line(msg)),
    info: (...msg: unknown[]) => child.info(line(msg)),
    warn: (...msg: unknown[]) => child.warn(line(msg)),
    error: (...msg: unknown[]) => child.error(line(msg)),
    // The bot's LOG_LEVEL decides; the SDKs' own level requests are ignored.
    setLevel: () => undefined,
    getLevel: () => SDK_LEVEL_OF_PINO[logger.level] ?? LogLevel.ERROR,
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}
