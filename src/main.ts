import { randomUUID } from 'node:crypto';
import { COMMANDS } from '../commands/index.js';
import { ChatRuntime } from './chat/runtime.js';
import { FileClock, systemClock } from './clock.js';
import { ConfigError, hasDiscord, hasSlack, loadConfig, loadDotEnv, type Config } from './config.js';
import { BUTTONS, CAPABILITIES, FORMS, allJobs } from './capabilities.js';
import { AnswersFirst } from './http/answers-first.js';
import { addHealthRoutes } from './http/health.js';
import { Metrics } from './http/metrics.js';
import { HttpServer } from './http/server.js';
import { JobScheduler } from './jobs/scheduler.js';
import { createFileLogger, createLogger, type Logger } from './logger.js';
import { OutboxDispatcher } from './outbox/dispatcher.js';
import { RecordFallbacks } from './outbox/fallbacks.js';
import { faultInjection } from './outbox/fault-injection.js';
import type { PlatformAdapter, Suggestions } from './platforms/port.js';
import { createShellAdapter } from './platforms/shell/index.js';
import type { BackgroundTask } from './capability.js';
import { createServices, resolveServiceKeys, type Services } from './services.js';
import type { ChannelKey } from './settings/registry.js';
import { sweepSpool } from './exports/spool-sweep.js';
import { createDataSource } from './store/data-source.js';
import { migrateUnderLock, type MigrationEvent } from './store/migration-lock.js';
import { Store } from './store/store.js';

/**
 * How long a stopping process waits for the HTTP requests in flight (ms): a large alert group takes
 * a few seconds to store; well inside the 30 s a container runtime gives before SIGKILL (Kubernetes'
 * default terminationGracePeriodSeconds, Docker's 10 s is the tighter one: docs/deploy.md).
 */
const HTTP_DRAIN_MS = 8_000;

/** Where the interactive terminal session writes its logs. */
const SHELL_LOG_FILE = './data/opsdesk.log';

/** With no chat platform configured the bot runs in the terminal, and channels live there too. */
function channelDefaults(config: Config, shellMode: boolean): Partial<Record<ChannelKey, string>> {
  const pick = (value: string | undefined, shellName: string) => value ?? (shellMode ? `shell:${shellName}` : undefined);
  const defaults: Partial<Record<ChannelKey, string>> = {};
  const entries: [ChannelKey, string | undefined, string][] = [
    ['fault_channel', config.FAULT_CHANNEL, 'faults'],
    ['change_channel', config.CHANGE_CHANNEL, 'changes'],
    ['feedback_channel', config.FEEDBACK_CHANNEL, 'feedback'],
    ['management_channel', config.MANAGEMENT_CHANNEL, 'management'],
  ];
  for (const [key, value, shellName] of entries) {
    const chosen = pick(value, shellName);
    if (chosen) defaults[key] = chosen;
  }
  return defaults;
}

async function listenOrWarn(http: HttpServer, port: number, shellMode: boolean, hooks: boolean, logger: Logger): Promise<void> {
  try {
    const bound = await http.listen(port);
    logger.info({ port: bound }, 'http server listening');
  } catch (error) {
    // In the terminal without webhooks the HTTP server only serves health checks; a busy port must not
    // stop a tryout. With webhooks (WEBHOOK_TOKEN) it must: running without them would lose every alert.
    const reason = error instanceof Error ? error.message : String(error);
    if (!shellMode || hooks) throw new Error(`the HTTP server cannot listen on PORT ${port} (${reason}); set PORT to a free port`);
    logger.warn({ err: error, port }, 'http server not started');
  }
}

/** The migration steps in the log: a replica may wait minutes for another one's lock at start-up. */
function logMigration(logger: Logger): (event: MigrationEvent) => void {
  return (event) => {
    if (event.kind === 'waiting') logger.info('waiting for the migration lock (another process is migrating)');
    else if (event.kind === 'running') logger.info({ migrations: event.names }, `running ${event.names.length} migrations`);
    else if (event.kind === 'done') logger.info({ migrations: event.names.length, ms: event.ms }, 'migrations done');
    else logger.warn({ unknown: event.names }, `the database has migrations this build does not know (${event.names.join(', ')}): a newer release migrated it; run that release or newer`);
  };
}

/** Says at start-up when this process's poll key is not the one the polls were opened with (votes are then refused). */
async function checkPollKeyAtStart(services: Services, logger: Logger): Promise<void> {
  try {
    if ((await services.feedback.polls.checkKey()) === 'differs') {
      logger.error('POLL_SECRET differs from the poll key the polls were opened with (its fingerprint is in the settings table): this process refuses votes; set the same POLL_SECRET on every replica');
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not compare the poll key with the stored fingerprint; the first vote will');
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`opsdesk cannot start, the configuration has problems:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }
  const shellMode = !hasSlack(config) && !hasDiscord(config);
  const logger =
    shellMode && process.stdin.isTTY ? createFileLogger(config.LOG_LEVEL, SHELL_LOG_FILE) : createLogger(config.LOG_LEVEL);
  const holder = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // End-to-end tests move time by rewriting a file instead of waiting hours for a reminder.
  const clock = config.OPSDESK_CLOCK_FILE ? new FileClock(config.OPSDESK_CLOCK_FILE) : systemClock;

  // Connected but not migrated yet: the port opens first (below), so that /healthz answers meanwhile.
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();
  let migrated = false;
  const store = new Store(dataSource, config.DATABASE_URL);
  const keys = resolveServiceKeys(config, logger);
  const metrics = new Metrics();
  const http = new HttpServer(logger);

  let dispatcher: OutboxDispatcher | undefined;
  let background: BackgroundTask[] = [];
  const services = createServices({
    store,
    clock,
    timeZone: config.TZ_NAME,
    defaultLocale: config.DEFAULT_LOCALE,
    bootstrapAdmins: config.ADMIN_USERS,
    channelDefaults: channelDefaults(config, shellMode),
    ...keys,
    // A committed change that queued messages may also have moved a due time (e.g. an earlier reminder).
    onOutbox: () => {
      dispatcher?.kick();
      for (const task of background) task.changed?.();
    },
  });
  const runtime = new ChatRuntime({
    services,
    commands: COMMANDS,
    buttons: BUTTONS,
    forms: FORMS,
    defaultLocale: config.DEFAULT_LOCALE,
    clock,
    timeZone: config.TZ_NAME,
    logger,
    metrics,
  });

  let stopping: Promise<void> | undefined;
  const adapters: PlatformAdapter[] = [];
  const scheduler = new JobScheduler({ store, clock, logger, metrics, holder, timezone: config.TZ_NAME, followClock: clock !== systemClock });
  const shutdown = (code: number): Promise<void> => {
    stopping ??= (async () => {
      logger.info('shutting down');
      // Requests in flight are answered first, while the store and the adapters they use still run.
      const unanswered = await http.drain(HTTP_DRAIN_MS);
      if (unanswered > 0) logger.warn({ unanswered, waitedMs: HTTP_DRAIN_MS }, 'http: requests still unanswered when the grace period ended; closing them');
      for (const adapter of adapters) await adapter.stop().catch((err: unknown) => logger.error({ err }, 'adapter stop failed'));
      for (const task of background) await task.stop();
      await scheduler.stop();
      await dispatcher?.stop();
      await http.close();
      await store.close();
      process.exit(code);
    })();
    return stopping;
  };

  // A platform's SDK (Bolt, discord.js) is loaded only when that platform is configured: each costs
  // start-up time and tens of MB of memory (bench/results.md).
  // Searchable choices (Slack external_select, Discord autocomplete) ask the core for their options.
  const suggestions: Suggestions = {
    suggest: (source, query, limit) => (source === 'ci' ? services.cis.suggest(query, limit) : Promise.resolve([])),
    storedLocale: (platform, userId) => services.people.storedLocale(platform, userId),
  };
  if (hasSlack(config)) {
    const { createSlackAdapter } = await import('./platforms/slack/adapter.js');
    const home = { opened: services.home.opened.bind(services.home), tab: services.home.homeTab.bind(services.home) };
    adapters.push(createSlackAdapter({ config, handler: runtime, http, logger, metrics, home, suggestions }));
  }
  if (hasDiscord(config)) {
    const { createDiscordAdapter } = await import('./platforms/discord/adapter.js');
    adapters.push(createDiscordAdapter({ config, handler: runtime, http, logger, store, clock, commands: COMMANDS, suggestions }));
  }
  if (shellMode) {
    adapters.push(
      createShellAdapter({
        handler: runtime,
        input: process.stdin,
        output: process.stdout,
        locale: config.DEFAULT_LOCALE,
        // Piped input ends the session: deliver what is queued, then stop.
        onClose: () => void (async () => {
          while (dispatcher && (await dispatcher.runOnce()) > 0);
          await shutdown(0);
        })(),
      }),
    );
  }
  dispatcher = new OutboxDispatcher({
    store,
    deliverers: new Map(adapters.map((a) => [a.platform, a.deliverer])),
    clock,
    logger,
    metrics,
    holder,
    fallbacks: new RecordFallbacks({ settings: services.settings, people: services.people, logger, timeZone: config.TZ_NAME, defaultLocale: config.DEFAULT_LOCALE }),
    claimTtlMs: config.OUTBOX_CLAIM_SECONDS * 1000,
    afterPlatformCall: faultInjection(config.OPSDESK_FAULT_INJECT, process.env.NODE_ENV, logger),
    answersFirst: new AnswersFirst(http.processing),
    // The same per-platform readiness /readyz reports: a replica cut off from a platform leaves its rows to the others.
    ready: (platform) => adapters.find((a) => a.platform === platform)?.isReady() ?? false,
  });
  const context = { services, store, logger, config, metrics, clock };
  background = CAPABILITIES.flatMap((c) => c.background?.(context) ?? []);
  for (const job of allJobs(context)) scheduler.add(job);
  const routes = CAPABILITIES.flatMap((c) => c.routes?.(context) ?? []);
  for (const route of routes) http.add(route.method, route.path, route.handler, route.options);

  addHealthRoutes(http, metrics, [
    // False from SIGTERM on (the port closes then too; a probe on a kept-alive connection sees this).
    { name: 'running', check: () => !http.draining },
    { name: 'migrations', check: () => migrated },
    { name: 'database', check: async () => (await dataSource.query<unknown[]>('SELECT 1 AS up')).length === 1 },
    ...adapters.map((a) => ({ name: a.platform, check: () => a.isReady() })),
  ]);
  // Until the schema is current, only health and metrics answer; every other route says 503.
  http.hold();
  await listenOrWarn(http, config.PORT, shellMode, routes.length > 0, logger);
  await migrateUnderLock(dataSource, config.DATABASE_URL, logMigration(logger));
  migrated = true;
  http.release();
  await checkPollKeyAtStart(services, logger);
  for (const adapter of adapters) await adapter.start();
  dispatcher.start();
  // Export files spooled by a process that stopped before queuing them (src/exports/spool-sweep.ts).
  sweepSpool(store, services.exports.spoolDir)
    .then((removed) => removed > 0 && logger.info({ removed }, 'removed spooled export files nobody will send'))
    .catch((error: unknown) => logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'could not sweep the export spool'));
  scheduler.start();
  for (const task of background) task.start();
  logger.info({ adapters: adapters.map((a) => a.platform), database: store.kind }, 'opsdesk started');

  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`opsdesk failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
