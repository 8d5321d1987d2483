import { createLogger, type Logger } from '../../src/logger.js';

/** A pino line as the tests read it back (level as a number: 30 info, 40 warn, 50 error). */
export interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
  failures?: number;
}

/** A real logger at `level` whose JSON lines are parsed into `lines` as they are written. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
