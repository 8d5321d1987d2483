// The three webhook bodies (Alertmanager v4, Grafana unified alerting v1, our generic one) reduced to
// one shape. Tolerant as PLATFORM-FACTS.md asks: unknown keys are dropped (zod objects strip them),
// fields that older senders omit are optional, and newer additions are accepted.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ALERTS_PER_TURN, giveWay } from './give-way.js';
import { timestampField } from './timestamps.js';

/** `alertmanager`, `grafana`, or the `source` a generic sender names. */
export type AlertSource = string;

/** One alert as the intake handles it, whatever sent it. */
export interface IncomingAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  name: string;
  summary: string;
  /** UTC; when the sender says nothing, the arrival time is used. */
  startsAt: Date | null;
  endsAt: Date | null;
  link: string | null;
  /** Grafana's evaluated values as text (valueString, or the values map). */
  value: string | null;
  /** The configuration item a generic sender names explicitly; otherwise null and the intake reads `alert_ci_labels` (ci-link.ts). */
  configurationItem: string | null;
}

/** One notification: a group of alerts, as one webhook delivery carries it. */
export interface Notification {
  source: AlertSource;
  groupKey: string;
  /**
   * Alerts the notification does not list: those the sender left out (Alertmanager's `max_alerts`,
   * `truncatedAlerts`) plus those opsdesk left out beyond MAX_ALERTS_PER_BODY (`capped`).
   */
  truncatedAlerts: number;
  /** Of truncatedAlerts, the alerts opsdesk itself left out because the body listed more than MAX_ALERTS_PER_BODY. */
  capped: number;
  /** A title for a new fault: the common `alertname` or the first summary. */
  title: string;
  description: string;
  alerts: IncomingAlert[];
}

/**
 * Alerts opsdesk reads of one body (docs/monitoring.md, "Truncated groups"). A larger body is not refused
 * (Alertmanager never retries a 4xx, so the whole group would be lost): the first ones are taken and the
 * rest are counted as not listed, like the sender's own truncation.
 */
export const MAX_ALERTS_PER_BODY = 10_000;
const stringMap = z.record(z.string().max(10_000), z.string().max(100_000));
const labelMap = stringMap.nullish().transform((v) => v ?? {});
const status = z.enum(['firing', 'resolved']);

const baseAlert = z.object({
  status,
  labels: labelMap,
  annotations: labelMap,
  startsAt: timestampField,
  endsAt: timestampField,
  generatorURL: z.string().max(10_000).nullish(),
  fingerprint: z.string().max(64).nullish(),
});

const alertmanagerBody = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1).max(100_000),
  truncatedAlerts: z.number().int().min(0).nullish(),
  status,
  receiver: z.string().max(10_000).nullish(),
  groupLabels: labelMap,
  commonLabels: labelMap,
  commonAnnotations: labelMap,
  externalURL: z.string().max(10_000).nullish(),
  // Checked one alert at a time (checkBody), so that a large body can give way between slices.
  alerts: z.array(z.unknown()),
});

const grafanaAlert = baseAlert.extend({
  silenceURL: z.string().max(10_000).nullish(),
  dashboardURL: z.string().max(10_000).nullish(),
  panelURL: z.string().max(10_000).nullish(),
  values: z.record(z.string(), z.unknown()).nullish(),
  valueString: z.string().max(100_000).nullish(),
});

const grafanaBody = alertmanagerBody.extend({
  version: z.literal('1'),
  orgId: z.number().nullish(),
  title: z.string().max(10_000).nullish(),
  state: z.string().max(32).nullish(),
  message: z.string().max(100_000).nullish(),
});

/** Our own schema for senders without a native integration (docs/monitoring.md). */
export const genericBody = z.object({
  source: z.string().trim().min(1).max(32).regex(/^[a-z0-9_.-]+$/i).default('generic'),
  key: z.string().trim().min(1).max(1000),
  status,
  severity: z.string().trim().max(32).optional(),
  summary: z.string().trim().min(1).max(300),
  description: z.string().trim().max(4000).optional(),
  labels: stringMap.optional(),
  link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  configurationItem: z.string().trim().min(1).max(200).optional(),
  fingerprint: z.string().trim().min(1).max(64).optional(),
  startsAt: timestampField,
  endsAt: timestampField,
});

export type ParseResult = { ok: true; notification: Notification } | { ok: false; reason: string };

/** Alertmanager's own fingerprint is a hash of the label set; older servers (< 0.19) omit it, so make one. */
export function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

// PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8: 0x00") and a lone UTF-16
// surrogate cannot be written as UTF-8, so SQLite would store invalid bytes: both databases must store
// the same text, and the sender must get a 2xx, not a 500 it retries forever.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text both databases store alike: NUL removed, each lone surrogate replaced by U+FFFD. */
export function cleanText(text: string): string {
  return text.split('\u0000').join('').replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Whether JSON text may hold what cleanText removes. Valid UTF-8 cannot carry NUL unescaped in a JSON
 * string nor a lone surrogate at all, so only the escapes `\u0000` and `\uD800`-`\uDFFF` can: a body
 * without them is clean as it is, and the walk over every string of it can be skipped (bench/results.md,
 * profile). Errs on the side of true (an escaped backslash before `u0000` also matches).
 */
export function mayNeedCleaning(json: string): boolean {
  return /\\u(?:0000|[dD][89a-fA-F])/.test(json) || json.includes('\u0000');
}

/** Options of the parse functions. */
export interface ParseOptions {
  /** False when the caller knows that the body holds nothing cleanText changes (mayNeedCleaning); default true. */
  clean?: boolean;
}

/** Applies cleanText to every string of a parsed JSON body, object keys (label names) included. */
export function cleanBody(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanBody);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanBody(v)]));
  }
  return value;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function issues(found: readonly z.core.$ZodIssue[]): string {
  return found
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
    .join('; ');
}

function valueText(alert: z.output<typeof grafanaAlert>): string | null {
  if (alert.valueString) return alert.valueString;
  if (alert.values && Object.keys(alert.values).length > 0) {
    return Object.entries(alert.values)
      .map(([k, v]) => `${k}=${typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v)}`)
      .join(', ');
  }
  return null;
}

function fromSender(alert: z.output<typeof baseAlert> & { value?: string | null }): IncomingAlert {
  const labels = alert.labels;
  const name = labels.alertname ?? labels.__alert_rule_title__ ?? 'alert';
  const summary = alert.annotations.summary ?? alert.annotations.description ?? alert.annotations.message ?? name;
  return {
    fingerprint: alert.fingerprint && alert.fingerprint.length > 0 ? alert.fingerprint : labelFingerprint(labels),
    status: alert.status,
    labels,
    name: shorten(name, 200),
    summary: shorten(summary, 300),
    startsAt: alert.startsAt,
    endsAt: alert.endsAt,
    link: alert.generatorURL ? alert.generatorURL.slice(0, 2000) : null,
    value: alert.value ?? null,
    configurationItem: null,
  };
}

function title(common: Record<string, string>, alerts: IncomingAlert[], fallback: string): string {
  return shorten(common.alertname ?? alerts[0]?.name ?? fallback, 150);
}

function description(commonAnnotations: Record<string, string>, alerts: IncomingAlert[]): string {
  const text = commonAnnotations.description ?? commonAnnotations.summary ?? alerts[0]?.summary ?? '—';
  return shorten(text, 4000);
}

/** The body with at most MAX_ALERTS_PER_BODY alerts, and how many it left out. */
function capAlerts(body: unknown): { body: unknown; capped: number } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { body, capped: 0 };
  const alerts = (body as { alerts?: unknown }).alerts;
  if (!Array.isArray(alerts) || alerts.length <= MAX_ALERTS_PER_BODY) return { body, capped: 0 };
  return { body: { ...body, alerts: alerts.slice(0, MAX_ALERTS_PER_BODY) }, capped: alerts.length - MAX_ALERTS_PER_BODY };
}

/**
 * A parse as steps: the generator yields between slices of ALERTS_PER_TURN alerts. parseX runs it
 * through at once; parseInTurns gives way to other requests at each yield (give-way.ts).
 */
type ParseSteps = Generator<void, ParseResult, void>;

function runThrough(steps: ParseSteps): ParseResult {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The body's top level cleaned like cleanBody, except its `alerts` array, whose alerts checkBody
 * cleans slice by slice (the result is the same as cleanBody's).
 */
function cleanTopLevel(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return cleanBody(body);
  return Object.fromEntries(Object.entries(body).map(([k, v]) => {
    const key = cleanText(k);
    return [key, key === 'alerts' && Array.isArray(v) ? v : cleanBody(v)];
  }));
}

type Checked<E extends z.ZodType, A extends z.ZodType> = { ok: true; envelope: z.output<E>; alerts: z.output<A>[] } | { ok: false; issues: string };

/**
 * `envelope` checked on the body without its alerts, then `alert` on each alert, ALERTS_PER_TURN at a
 * time with a yield in between; issues as zod reports them for the whole body (envelope first, alert
 * paths as `alerts.N.field`). `clean`: the alerts are cleaned (cleanText) as they are checked.
 */
function* checkBody<E extends z.ZodType, A extends z.ZodType>(envelope: E, alert: A, body: unknown, clean: boolean): Generator<void, Checked<E, A>, void> {
  const rawAlerts = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { alerts?: unknown }).alerts : undefined;
  const list = Array.isArray(rawAlerts) ? rawAlerts : [];
  const head = envelope.safeParse(Array.isArray(rawAlerts) ? { ...(body as object), alerts: [] } : body);
  const found: z.core.$ZodIssue[] = head.success ? [] : [...head.error.issues];
  const alerts: z.output<A>[] = [];
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && i % ALERTS_PER_TURN === 0) yield;
    const one = alert.safeParse(clean ? cleanBody(list[i]) : list[i]);
    if (one.success) alerts.push(one.data);
    else found.push(...one.error.issues.map((issue) => ({ ...issue, path: ['alerts', i, ...issue.path] })));
    // The answer names five issues at most: no need to look for more.
    if (found.length >= 5) break;
  }
  if (!head.success || found.length > 0) return { ok: false, issues: issues(found) };
  return { ok: true, envelope: head.data, alerts };
}

function* alertmanagerSteps(body: unknown, options: ParseOptions): ParseSteps {
  const { body: capped, capped: left } = capAlerts(body);
  const clean = options.clean !== false;
  const checked = yield* checkBody(alertmanagerBody, baseAlert, clean ? cleanTopLevel(capped) : capped, clean);
  if (!checked.ok) return { ok: false, reason: `not an Alertmanager webhook body (version 4): ${checked.issues}` };
  const b = checked.envelope;
  const alerts = checked.alerts.map((a) => fromSender(a));
  return {
    ok: true,
    notification: {
      source: 'alertmanager',
      groupKey: b.groupKey,
      truncatedAlerts: (b.truncatedAlerts ?? 0) + left,
      capped: left,
      title: title(b.commonLabels, alerts, 'Alertmanager alert'),
      description: description(b.commonAnnotations, alerts),
      alerts,
    },
  };
}

/** Reads an Alertmanager webhook body (version "4"). */
export function parseAlertmanager(body: unknown, options: ParseOptions = {}): ParseResult {
  return runThrough(alertmanagerSteps(body, options));
}

/** True for a body from Grafana's legacy (pre-unified) alerting, which has another shape. */
export function isLegacyGrafana(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  return !('alerts' in record) && ('ruleName' in record || 'evalMatches' in record || 'ruleId' in record);
}

function* grafanaSteps(body: unknown, options: ParseOptions): ParseSteps {
  const clean = options.clean !== false;
  const top = clean ? cleanTopLevel(body) : body;
  if (isLegacyGrafana(top)) {
    return { ok: false, reason: 'this is a legacy Grafana alerting body (ruleName, evalMatches); use a contact point of Grafana unified alerting (webhook, version 1)' };
  }
  const { body: capped, capped: left } = capAlerts(top);
  const checked = yield* checkBody(grafanaBody, grafanaAlert, capped, clean);
  if (!checked.ok) return { ok: false, reason: `not a Grafana unified alerting webhook body (version 1): ${checked.issues}` };
  const b = checked.envelope;
  const alerts = checked.alerts.map((a) => fromSender({ ...a, value: valueText(a) }));
  return {
    ok: true,
    notification: {
      source: 'grafana',
      groupKey: b.groupKey,
      truncatedAlerts: (b.truncatedAlerts ?? 0) + left,
      capped: left,
      title: title(b.commonLabels, alerts, b.title ?? 'Grafana alert'),
      description: description(b.commonAnnotations, alerts),
      alerts,
    },
  };
}

/** Reads a Grafana unified alerting webhook body (version "1"). */
export function parseGrafana(body: unknown, options: ParseOptions = {}): ParseResult {
  return runThrough(grafanaSteps(body, options));
}

/**
 * What the hooks use for a large body: `parse` of parseAlertmanager or parseGrafana run in turns,
 * giving way to other requests every ALERTS_PER_TURN alerts; the result is the same. The generic
 * parser (one alert) runs at once.
 */
export async function parseInTurns(parse: (body: unknown, options: ParseOptions) => ParseResult, body: unknown, options: ParseOptions = {}): Promise<ParseResult> {
  const steps = parse === parseAlertmanager ? alertmanagerSteps(body, options) : parse === parseGrafana ? grafanaSteps(body, options) : undefined;
  if (!steps) return parse(body, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await giveWay();
  }
}

/** Fault descriptions hold at most this many characters (FAULT_LIMITS.description). */
const DESCRIPTION_MAX = 4000;

/**
 * The generic `link` (already checked to be http or https) as the description's first line, a plain
 * URL, so that it is stored with the fault and shown on its card even when a long description is cut
 * there; the description is shortened to make room.
 */
function withLink(text: string, link: string | undefined): string {
  if (!link) return text;
  return `${link}\n\n${shorten(text, DESCRIPTION_MAX - link.length - 2)}`;
}

/** Reads a generic body: one alert, grouped by `key`. */
export function parseGeneric(body: unknown, options: ParseOptions = {}): ParseResult {
  const parsed = genericBody.safeParse(options.clean === false ? body : cleanBody(body));
  if (!parsed.success) return { ok: false, reason: `not a generic alert body: ${issues(parsed.error.issues)}` };
  const b = parsed.data;
  const labels: Record<string, string> = { ...(b.labels ?? {}), ...(b.severity ? { severity: b.severity } : {}) };
  const alert: IncomingAlert = {
    fingerprint: b.fingerprint ?? createHash('sha256').update(b.key).digest('hex').slice(0, 16),
    status: b.status,
    labels,
    name: shorten(labels.alertname ?? b.summary, 200),
    summary: b.summary,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    link: b.link ?? null,
    value: null,
    configurationItem: b.configurationItem ?? null,
  };
  return {
    ok: true,
    notification: { source: b.source, groupKey: b.key, truncatedAlerts: 0, capped: 0, title: shorten(b.summary, 150), description: withLink(b.description ?? b.summary, b.link), alerts: [alert] },
  };
}
