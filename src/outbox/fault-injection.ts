import type { Logger } from '../logger.js';

export type FaultPoint = 'after-send';

/**
 * The hook for OPSDESK_FAULT_INJECT=after-send: SIGKILL of this very process right after a platform
 * call succeeded and before its outbox row is marked sent, the one moment a crash used to cause a
 * duplicate. Active only when NODE_ENV is `test`; otherwise the setting is ignored with a warning.
 */
export function faultInjection(point: FaultPoint | undefined, nodeEnv: string | undefined, logger: Logger): (() => void) | undefined {
  if (point === undefined) return undefined;
  if (nodeEnv !== 'test') {
    logger.warn({ point }, 'OPSDESK_FAULT_INJECT is ignored outside tests (NODE_ENV=test)');
    return undefined;
  }
  logger.warn({ point }, 'fault injection on: the process kills itself after the next successful platform call');
  return () => {
    // SIGKILL, not exit(): no handler, no flush, exactly like a crash or an OOM kill.
    process.kill(process.pid, 'SIGKILL');
  };
}
