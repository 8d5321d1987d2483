import { AuditService } from './audit/service.js';
import { ReportService } from './reports/service.js';
import { REPORT_SETTING_DEFAULTS } from './reports/schedule-setting.js';
import type { Locale } from './chat/i18n/catalog.js';
import { ChangeQueries } from './changes/queries.js';
import { CiService } from './cis/service.js';
import { SearchService } from './search/service.js';
import { ExportService } from './exports/service.js';
import { ChangeService } from './changes/service.js';
import { CHANGE_SETTING_DEFAULTS } from './changes/settings.js';
import type { Clock } from './clock.js';
import { FaultQueries } from './faults/queries.js';
import { FaultService } from './faults/service.js';
import { FeedbackService } from './feedback/service.js';
import { resolvePollSecret } from './feedback/poll-secret.js';
import type { Logger } from './logger.js';
import { HomeService } from './home/service.js';
import { alertCardDetails } from './monitoring/card.js';
import { AlertIntake } from './monitoring/intake.js';
import { AlertReports } from './monitoring/report.js';
import { LinkService } from './people/link.js';
import { OnCallService } from './oncall/service.js';
import { RequestQueries } from './requests/queries.js';
import { RequestService } from './requests/service.js';
import { SlaService } from './sla/service.js';
import { SlaSweep } from './sla/sweep.js';
import { PeopleService } from './people/service.js';
import type { ChannelKey } from './settings/registry.js';
import { SettingsService } from './settings/service.js';
import type { Store } from './store/store.js';

/** Every use case, built once and handed to commands, buttons, forms and jobs. */
export interface Services {
  people: PeopleService;
  /** Linking a person's accounts across platforms (`/ops link`). */
  links: LinkService;
  settings: SettingsService;
  faults: FaultService;
  faultQueries: FaultQueries;
  changes: ChangeService;
  changeQueries: ChangeQueries;
  audit: AuditService;
  reports: ReportService;
  feedback: FeedbackService;
  /** SLA clocks: policy, recompute hooks, snooze. */
  sla: SlaService;
  /** The reminder sweep over due SLA steps. */
  slaSweep: SlaSweep;
  oncall: OnCallService;
  requests: RequestService;
  requestQueries: RequestQueries;
  /** The personal overview: Slack App Home and `/ops me`. */
  home: HomeService;
  /** Configuration items (policy 2). */
  cis: CiService;
  /** Search across faults, requests and changes. */
  search: SearchService;
  /** CSV exports of records, configuration items and the audit log. */
  exports: ExportService;
  /** Monitoring intake: alert webhooks into deduplicated faults. */
  alerts: AlertIntake;
  /** `/ops report alerts`. */
  alertReports: AlertReports;
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
  /** The anonymous-poll ballot key, from outside the database (src/feedback/poll-secret.ts); unset: polls are refused. */
  pollSecret?: string;
}

export function createServices(options: ServiceOptions): Services {
  const { store, clock } = options;
  const people = new PeopleService(store, clock, options.bootstrapAdmins);
  const settings = new SettingsService(store, clock, { ...CHANGE_SETTING_DEFAULTS, ...REPORT_SETTING_DEFAULTS, ...options.channelDefaults });
  const feedback = new FeedbackService(store, clock, settings, {
    timeZone: options.timeZone,
    defaultLocale: options.defaultLocale,
    ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}),
  }, options.pollSecret);
  const outbox = options.onOutbox ? { onOutbox: options.onOutbox } : {};
  const local = { timeZone: options.timeZone, defaultLocale: options.defaultLocale, ...outbox };
  const oncall = new OnCallService(store, clock, people, local);
  const sla = new SlaService(store, clock, settings, local);
  const slaSweep = new SlaSweep(store, clock, sla, oncall, people, settings, local);
  const requests = new RequestService(store, clock, people, settings, { ...local, sla: sla.requests, surveys: feedback.surveys });
  const faults = new FaultService(store, clock, people, settings, {
    sla: sla.faults,
    surveys: feedback.surveys,
    cardDetails: alertCardDetails,
    timeZone: options.timeZone,
    defaultLocale: options.defaultLocale,
    ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}),
  });
  const alerts = new AlertIntake(store, clock, faults, settings, oncall, local);
  const changes = new ChangeService(store, clock, people, settings, {
    timeZone: options.timeZone,
    defaultLocale: options.defaultLocale,
    ...(options.onOutbox ? { onOutbox: options.onOutbox } : {}),
  });
  const home = new HomeService(store, clock, people, oncall, local);
  return { people, links: new LinkService(store, clock), settings, faults, faultQueries: new FaultQueries(store), changes, changeQueries: new ChangeQueries(store, changes), audit: new AuditService(store), reports: new ReportService(store, clock, sla, settings, local), feedback, sla, slaSweep, oncall, requests, requestQueries: new RequestQueries(store), home, cis: new CiService(store, clock, people), search: new SearchService(store), exports: new ExportService(store, clock, options.timeZone, options.onOutbox), alerts, alertReports: new AlertReports(store) };
}

/**
 * The keys services need that are kept outside the database, from the configuration: the anonymous
 * poll key (POLL_SECRET, or the key file beside the SQLite file; none with PostgreSQL without it, and
 * polls are then refused). Throws when the key file cannot be created or read.
 */
export function resolveServiceKeys(config: { DATABASE_URL: string; POLL_SECRET?: string | undefined }, logger: Logger): Pick<ServiceOptions, 'pollSecret'> {
  const pollSecret = resolvePollSecret(config);
  if (pollSecret.kind === 'missing') {
    logger.warn('anonymous polls are off: with PostgreSQL, set POLL_SECRET (the same on every replica)');
    return {};
  }
  if (pollSecret.path) logger.info({ path: pollSecret.path }, 'poll key file in use');
  return { pollSecret: pollSecret.value };
}
