// What the dispatcher logs about the state it finds on each pass, once per change rather than per pass.
import type { Platform } from '../chat/model.js';
import type { Logger } from '../logger.js';

/** Log lines about readiness and stored pauses, each written when its state changes, not on every pass. */
export class DispatcherNotices {
  /** Platforms left alone in the last pass because they were not ready. */
  private notReadyNow: readonly Platform[] = [];
  /** Stored pauses already logged as ignored (`route@end`). */
  private readonly ignoredPauses = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** The platforms not ready as of the last noteReadiness. */
  get notReady(): readonly Platform[] {
    return this.notReadyNow;
  }

  /** Logs each stored pause ignored as a wrong clock's once (pauses.ts, MAX_PAUSE_MS; `implausible`: route → end, ms since the epoch). */
  noteImplausiblePauses(implausible: ReadonlyMap<string, number>): void {
    for (const [route, until] of implausible) {
      const key = `${route}@${until}`;
      if (this.ignoredPauses.has(key)) continue;
      this.ignoredPauses.add(key);
      this.logger.warn({ route, pausedUntil: new Date(until).toISOString() }, 'outbox: stored rate-limit pause ends implausibly late (a replica with a wrong clock?); ignoring it');
    }
  }

  /** Remembers which platforms are not ready and logs when that set changes. */
  noteReadiness(notReady: readonly Platform[]): void {
    const before = this.notReadyNow;
    const same = notReady.length === before.length && notReady.every((p) => before.includes(p));
    if (same) return;
    const resumed = before.filter((p) => !notReady.includes(p));
    const left = notReady.filter((p) => !before.includes(p));
    if (left.length > 0) this.logger.warn({ platforms: left }, 'outbox: platform not ready; leaving its messages to other replicas');
    if (resumed.length > 0) this.logger.info({ platforms: resumed }, 'outbox: platform ready again; delivering its messages');
    this.notReadyNow = notReady;
  }
}
