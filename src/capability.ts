// What a capability (faults, changes, feedback, …, and the ones still to come) plugs into opsdesk.
// Each capability folder exports one descriptor (`<folder>/capability.ts`); src/capabilities.ts lists
// them, and the runtime, the scheduler, the HTTP server and the settings registry read only that list.
import type { CommandDef, SubcommandDef } from './chat/command-def.js';
import type { ButtonHandler, FormHandler } from './chat/interactions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Metrics } from './http/metrics.js';
import type { HttpMethod, RouteHandler, RouteOptions } from './http/server.js';
import type { Job } from './jobs/scheduler.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';
import type { SettingSpec } from './settings/registry.js';
import type { Store } from './store/store.js';

/** What a capability's jobs and routes are built from, once the process has started. */
export interface CapabilityContext {
  services: Services;
  store: Store;
  logger: Logger;
  config: Config;
  /** The process's Prometheus counters (`/metrics`). */
  metrics: Metrics;
  /** The process's clock (the system's, or OPSDESK_CLOCK_FILE's in end-to-end tests). */
  clock: Clock;
}

/** Something a capability keeps running beside its jobs (e.g. the SLA reminder timer). */
export interface BackgroundTask {
  /** Called once the adapters are connected. */
  start(): void;
  /** Called at shutdown, before the database closes. */
  stop(): Promise<void>;
  /** Called after every committed transaction that queued messages: a due time may have moved. */
  changed?(): void;
}

/**
 * An HTTP endpoint on the bot's one server (e.g. `POST /hooks/alertmanager`); bodies past 1 MiB
 * (or `options.maxBytes`) are refused with 413 before it runs.
 */
export interface HttpRoute {
  method: HttpMethod;
  path: string;
  handler: RouteHandler;
  options?: RouteOptions;
}

/** Everything one capability adds; every part is optional. */
export interface Capability {
  /** The folder's name, for logs and errors. */
  name: string;
  /** Slash commands it owns, in the order they are listed in help and the Slack manifest. */
  commands?: readonly CommandDef[];
  /** Subcommands it adds to another capability's command (e.g. `/ops sla …` to `/ops`). */
  subcommands?: readonly { command: string; subcommands: readonly SubcommandDef[] }[];
  buttons?: readonly ButtonHandler[];
  forms?: readonly FormHandler[];
  /** Settings admins change with `/ops config set` (policy chapter 6). */
  settings?: readonly SettingSpec[];
  /** Scheduled jobs, each run once across processes under a lease. */
  jobs?: (context: CapabilityContext) => Job[];
  /** Long-running tasks started with the process and stopped at shutdown. */
  background?: (context: CapabilityContext) => BackgroundTask[];
  /** HTTP endpoints (webhooks, exports, …). */
  routes?: (context: CapabilityContext) => HttpRoute[];
}
