import { AuditService } from './audit/service.js';
import type { Locale } from './chat/i18n/catalog.js';
import type { Clock } from './clock.js';
import { FaultQueries } from './faults/queries.js';
import { FaultService } from './faults/service.js';
import { PeopleService } from './people/service.js';
import type { ChannelKey } from './settings/registry.js';
import { SettingsService } from './settings/service.js';
import type { Store } from './store/store.js';

/** Every use case, built once and handed to commands, buttons, forms and jobs. */
export interface Services {
  people: PeopleService;
  settings: SettingsService;
  faults: FaultService;
  faultQueries: FaultQueries;
  audit: AuditService;
}

export interface ServiceOptions {
  store: Store;
  clock: Clock;
  timeZone: string;
  defaultLocale: Locale;
  bootstrapAdmins: readonly string[];
  channelDefaults: Partial<Record<ChannelKey, string>>;
  /** Told whenever a transaction queued outgoing messages. */
  onOutbox?: () => void;
}

export function createServices(options: ServiceOptions): Services {
  const { store, clock } = options;
  const people = new PeopleService(store, clock, options.bootstrapAdmins);
  const settings = new SettingsService(store, clock, options.channelDefaults);
  const faults = new FaultService(store, clock, people, settings, {
    timeZone: options.timeZone,
    defaultLocale: options.defaultLocale,
    ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}),
  });
  return { people, settings, faults, faultQueries: new FaultQueries(store), audit: new AuditService(store) };
}
