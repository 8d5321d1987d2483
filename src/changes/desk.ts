// What every change use case works with: the store and clock, the records and announcer of a change,
// the policy settings, and one way to run a step on a change in a transaction.
import type { EntityManager } from 'typeorm';
import { ChangeAnnouncer, type ChangeSetup } from './announcer.js';
import { ChangeRecords } from './records.js';
import { loadChangePolicy, type ChangePolicy } from './settings.js';
import type { Locale } from '../chat/i18n/catalog.js';
import type { Clock } from '../clock.js';
import type { PeopleService } from '../people/service.js';
import type { SettingsService } from '../settings/service.js';
import type { Change } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export interface ChangeServiceOptions {
  timeZone: string;
  defaultLocale: Locale;
  /** Called after a transaction that queued messages committed, so delivery starts at once. */
  onOutbox?: () => void;
}

/** A step's work on a change read (and, on PostgreSQL, locked) inside the step's transaction. */
export type ChangeWork<T> = (change: Change, manager: EntityManager, setup: ChangeSetup) => Promise<T>;

export class ChangeDesk {
  readonly records: ChangeRecords;
  readonly announcer: ChangeAnnouncer;
  readonly timeZone: string;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly people: PeopleService,
    private readonly settings: SettingsService,
    private readonly options: ChangeServiceOptions,
  ) {
    this.records = new ChangeRecords(clock, store, options.onOutbox);
    this.announcer = new ChangeAnnouncer(clock, this.records, options);
    this.timeZone = options.timeZone;
  }

  /** The approval policy and freezes in force now. */
  async policy(): Promise<ChangePolicy> {
    return loadChangePolicy((key) => this.settings.get(key));
  }

  /** The settings a step needs, read before its transaction opens (see ChangeSetup). */
  async setup(): Promise<ChangeSetup> {
    return { policy: await this.policy(), channel: await this.settings.channel('change_channel') };
  }

  /** Runs `work` on change `id` in one transaction, with the settings read before it opened. */
  async withChange<T>(id: number, work: ChangeWork<T>): Promise<T> {
    const setup = await this.setup();
    return this.store.transaction(async (manager) => work(await this.records.load(manager, id, true), manager, setup));
  }

  /** As withChange, then starts delivering what the work queued. */
  async act<T>(id: number, work: ChangeWork<T>): Promise<T> {
    const setup = await this.setup();
    return this.records.lifecycle.run(async (manager) => work(await this.records.load(manager, id, true), manager, setup));
  }

  /** Starts delivering messages a committed transaction queued (wakes the outbox dispatcher). */
  deliver(): void {
    this.records.lifecycle.deliver();
  }
}
