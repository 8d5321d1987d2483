// Issue #11 item 6: a storm edits each monitoring fault's channel card at most once every 10 seconds.
// The card is drawn once when its edit falls due, not on every alert that changes it: the intake only
// marks the group (`card_redraw_at`), and the task below draws the due cards. Drawing on every change
// was the largest cost of a webhook (bench/results.md).
import type { EntityManager } from 'typeorm';
import { channelCardMessage, type AlertCounts } from './card.js';
import type { MonitoringSettingsCache } from './settings.js';
import type { ChatTarget } from '../chat/model.js';
import type { IntakeSql } from './sql.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { BackgroundTask } from '../capability.js';
import type { Clock } from '../clock.js';
import { FailureBackoff } from '../jobs/failure-backoff.js';
import type { Logger } from '../logger.js';
import { enqueue } from '../outbox/outbox.js';
import { Fault, type AlertGroup } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

/** Issue #11 item 6: a storm edits each card at most once every 10 seconds. */
export const CARD_EDIT_INTERVAL_MS = 10_000;
/** Cards drawn per pass of the task; the rest wait for the next pass. */
const DRAW_BATCH = 100;

export interface CardRedrawOptions {
  timeZone: string;
  defaultLocale: Locale;
  onOutbox?: (() => void) | undefined;
}

/** Draws monitoring fault cards: at once when the last edit is 10 s old, else once when the edit falls due. */
export class CardRedraws {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sql: IntakeSql,
    private readonly settings: MonitoringSettingsCache,
    private readonly options: CardRedrawOptions,
  ) {}

  /**
   * After alerts of `group` changed, in the intake's transaction (`now` UTC; `channel` the fault channel
   * the intake read before it, so that no settings read waits for a pool connection meanwhile). `moved`:
   * the fault service just queued a card itself. Otherwise the card is drawn now when the last one is at
   * least CARD_EDIT_INTERVAL_MS old, else a redraw is marked for then (once: a later change finds it marked).
   */
  async changed(
    manager: EntityManager,
    channel: ChatTarget | undefined,
    group: AlertGroup,
    moved: boolean,
    now: Date,
    draw: () => Promise<{ fault: Fault; counts: AlertCounts }>,
  ): Promise<void> {
    if (moved) {
      await this.sql.setCard(manager, group.id, now, null);
      return;
    }
    if (!channel || group.cardRedrawAt !== null) return;
    const due = (group.cardDueAt?.getTime() ?? -Infinity) + CARD_EDIT_INTERVAL_MS;
    if (due > now.getTime()) {
      await this.sql.setCard(manager, group.id, new Date(due), new Date(due));
      return;
    }
    const { fault, counts } = await draw();
    await this.enqueueCard(manager, channel, fault, group, counts, now);
    await this.sql.setCard(manager, group.id, now, null);
  }

  /**
   * Draws every card whose redraw is due at the clock's now (UTC), each in its own transaction and
   * claimed first, so that two processes never draw the same one. Returns how many were queued.
   */
  async drawDue(): Promise<number> {
    const now = this.clock.now();
    const channel = (await this.settings.get()).faultChannel;
    const ids = await this.store.transaction((manager) => this.sql.dueRedraws(manager, now, DRAW_BATCH));
    let drawn = 0;
    for (const id of ids) {
      const queued = await this.store.transaction(async (manager) => {
        if (!(await this.sql.claimRedraw(manager, id, now))) return false;
        const group = await this.sql.groupById(manager, id);
        const fault = group ? await manager.findOne(Fault, { where: { id: group.faultId } }) : null;
        if (!group || !fault || !channel) return false;
        await this.enqueueCard(manager, channel, fault, group, await this.sql.counts(manager, fault.id), now);
        return true;
      });
      if (queued) drawn++;
    }
    if (drawn > 0) this.options.onOutbox?.();
    return drawn;
  }

  private async enqueueCard(manager: EntityManager, channel: ChatTarget, fault: Fault, group: AlertGroup, counts: AlertCounts, now: Date): Promise<void> {
    const ctx = { manager, timeZone: this.options.timeZone, defaultLocale: this.options.defaultLocale, now };
    await enqueue(manager, now, [await channelCardMessage(fault, channel, ctx, { group, counts })], { kind: 'fault', id: fault.id });
  }
}

/**
 * The task that draws due cards every `intervalMs` (the capability uses 1 s, 200 ms under a test clock,
 * which jumps). A failing pass (the database away) is retried later and later, up to 30 s, and logged
 * once per step (src/jobs/failure-backoff.ts); a success goes back to `intervalMs`.
 */
export function cardRedrawTask(redraws: Pick<CardRedraws, 'drawDue'>, logger: Logger, intervalMs: number): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let started = false;
  const backoff = new FailureBackoff(logger, 'monitoring: drawing due alert cards', intervalMs);
  const schedule = () => {
    timer = setTimeout(pass, backoff.nextDelayMs);
    timer.unref();
  };
  const pass = () => {
    running = redraws
      .drawDue()
      .then(() => backoff.succeeded())
      .catch((error: unknown) => backoff.failed(error))
      .finally(() => {
        if (started) schedule();
      });
  };
  return {
    start: () => {
      started = true;
      schedule();
    },
    stop: async () => {
      started = false;
      clearTimeout(timer);
      await running;
    },
  };
}
