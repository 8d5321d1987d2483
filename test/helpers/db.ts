import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import type { ChatActor } from '../../src/chat/model.js';
import type { Actor } from '../../src/people/actor.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { Store } from '../../src/store/store.js';

/** The anonymous-poll key test worlds use unless told otherwise (it comes from outside the database). */
export const TEST_POLL_SECRET = 'test-poll-secret-0123456789abcdef0123456789abcdef';

export function tempSqliteUrl(prefix = 'opsdesk-test-'): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), prefix)), 'opsdesk.db')}`;
}

/** A fresh SQLite file with the real migrations. */
export async function openTestStore(url = tempSqliteUrl()): Promise<Store> {
  return new Store(await openDatabase(url), url);
}

export interface TestWorld {
  store: Store;
  clock: ManualClock;
  services: Services;
  /** Resolves (creating on first use) a shell person by name. */
  actor(name: string): Promise<Actor>;
}

export async function openTestWorld(
  options: {
    admins?: string[];
    faultChannel?: string;
    /** An existing database (e.g. to start a "new process" on the file of an earlier world). */
    url?: string;
    /** The clock to use (default: a ManualClock at Monday 2026-11-23 09:00 UTC). */
    clock?: ManualClock;
    /** The poll key (default TEST_POLL_SECRET); null: none, so polls are refused. */
    pollSecret?: string | null;
  } = {},
): Promise<TestWorld> {
  const store = await openTestStore(options.url);
  const clock = options.clock ?? new ManualClock(new Date('2026-11-23T09:00:00Z'));
  const services = createServices({
    store,
    clock,
    timeZone: 'Europe/Berlin',
    defaultLocale: 'en',
    bootstrapAdmins: options.admins ?? ['shell:admin'],
    channelDefaults: { fault_channel: options.faultChannel ?? 'slack:CFAULTS' },
    ...(options.pollSecret === null ? {} : { pollSecret: options.pollSecret ?? TEST_POLL_SECRET }),
  });
  const actor = (name: string) => {
    const chat: ChatActor = { platform: 'shell', userId: name, displayName: name };
    return services.people.resolve(chat);
  };
  return { store, clock, services, actor };
}
