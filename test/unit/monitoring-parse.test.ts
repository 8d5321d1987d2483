import { describe, expect, it } from 'vitest';
import { bearerMatches } from '../../src/http/bearer.js';
import { checkGrafanaSignature } from '../../src/monitoring/auth.js';
import { ALERTS_PER_TURN } from '../../src/monitoring/give-way.js';
import { MAX_ALERTS_PER_BODY, cleanText, labelFingerprint, parseAlertmanager, parseGrafana, parseInTurns } from '../../src/monitoring/normalize.js';
import { alertReportMessage } from '../../src/monitoring/report.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import { parseSeverityMap } from '../../src/monitoring/setting-specs.js';
import { priorityFor } from '../../src/monitoring/settings.js';
import { parseTimestamp } from '../../src/monitoring/timestamps.js';
import { amBody, grafanaBody } from '../helpers/alerts.js';
import { grafanaSignature } from '../helpers/hooks.js';

describe('monitoring parsing rules', () => {
  it('reads RFC 3339 timestamps with nanoseconds and offsets, and Go\'s zero time as unset', () => {
    expect(parseTimestamp('2026-11-23T08:59:00.123456789Z')?.toISOString()).toBe('2026-11-23T08:59:00.123Z');
    expect(parseTimestamp('2026-11-23T16:59:00.5+08:00')?.toISOString()).toBe('2026-11-23T08:59:00.500Z');
    expect(parseTimestamp('2026-11-23T08:59:00-05:30')?.toISOString()).toBe('2026-11-23T14:29:00.000Z');
    expect(parseTimestamp('0001-01-01T00:00:00Z')).toBeNull();
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2026-13-45T99:00:00Z')).toBeUndefined();
    // Days that do not exist are refused, not shifted (Date.parse makes 2026-02-30 into March 2).
    expect(parseTimestamp('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2025-02-29T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2024-02-29T00:00:00Z')?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    // Nothing after year 9999 in UTC reaches the database.
    expect(parseTimestamp('9999-12-31T23:59:59Z')?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(parseTimestamp('9999-12-31T23:59:59-01:00')).toBeUndefined();
    // Times and offsets that do not exist; a lower-case z and a space for T, as RFC 3339 allows.
    expect(parseTimestamp('2026-11-23T24:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-11-23T08:60:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-11-23T08:59:60Z')).toBeUndefined();
    expect(parseTimestamp('2026-11-23T08:59:00+24:00')).toBeUndefined();
    expect(parseTimestamp('2026-11-23T08:59:00+05:60')).toBeUndefined();
    expect(parseTimestamp('2026-04-31T00:00:00Z')).toBeUndefined();
    expect(parseTimestamp('2026-11-23 08:59:00.1z')?.toISOString()).toBe('2026-11-23T08:59:00.100Z');
    expect(parseTimestamp('2026-01-01T00:30:00+01:00')?.toISOString()).toBe('2025-12-31T23:30:00.000Z');
  });

  it('maps severities to the highest priority, unknown ones to P3, and refuses malformed maps', () => {
    const map = parseSeverityMap('critical=P1, warning=p3, Info=P4');
    if (!map) throw new Error('map refused');
    expect([...map]).toEqual([['critical', 'P1'], ['warning', 'P3'], ['info', 'P4']]);
    expect(priorityFor(['warning', 'CRITICAL'], map)).toBe('P1');
    expect(priorityFor(['page', undefined], map)).toBe('P3');
    expect(parseSeverityMap('critical=P5')).toBeUndefined();
    expect(parseSeverityMap('critical')).toBeUndefined();
    expect(parseSeverityMap(' , ')).toBeUndefined();
  });

  it('derives a stable 16-hex fingerprint from labels, whatever their order', () => {
    expect(labelFingerprint({ a: '1', b: '2' })).toBe(labelFingerprint({ b: '2', a: '1' }));
    expect(labelFingerprint({ a: '1', b: '2' })).toMatch(/^[0-9a-f]{16}$/);
    expect(labelFingerprint({ a: '1' })).not.toBe(labelFingerprint({ a: '2' }));
  });

  it('takes the first MAX_ALERTS_PER_BODY alerts of a larger body and counts the rest as not listed, instead of refusing the group', () => {
    const specs = Array.from({ length: MAX_ALERTS_PER_BODY + 3 }, (_, i) => ({ name: 'Big', fingerprint: i.toString(16).padStart(16, '0') }));
    for (const parsed of [parseAlertmanager(amBody('big', specs, { truncatedAlerts: 2 })), parseGrafana(grafanaBody('big', specs, { truncatedAlerts: 2 }))]) {
      if (!parsed.ok) throw new Error(parsed.reason);
      expect(parsed.notification.alerts).toHaveLength(MAX_ALERTS_PER_BODY);
      expect(parsed.notification.alerts.at(-1)?.fingerprint).toBe((MAX_ALERTS_PER_BODY - 1).toString(16).padStart(16, '0'));
      expect(parsed.notification).toMatchObject({ truncatedAlerts: 5, capped: 3 });
    }
    const exact = parseAlertmanager(amBody('big', specs.slice(0, MAX_ALERTS_PER_BODY)));
    expect(exact.ok && exact.notification).toMatchObject({ truncatedAlerts: 0, capped: 0 });
  });

  it('accepts only the exact bearer token', () => {
    expect(bearerMatches({ authorization: 'Bearer secret-token-0123456789' }, 'secret-token-0123456789')).toBe(true);
    expect(bearerMatches({ authorization: 'bearer secret-token-0123456789' }, 'secret-token-0123456789')).toBe(true);
    expect(bearerMatches({ authorization: 'Bearer secret-token-012345678' }, 'secret-token-0123456789')).toBe(false);
    expect(bearerMatches({ authorization: 'Bearer secret-token-0123456789 extra' }, 'secret-token-0123456789')).toBe(false);
    expect(bearerMatches({}, 'secret-token-0123456789')).toBe(false);
  });

  it('checks Grafana signatures over the body, or over "{timestamp}:{body}" within 5 minutes either way', () => {
    const body = Buffer.from('{"version":"1"}');
    const plain = { secret: 's3cret', signatureHeader: 'X-Grafana-Alerting-Signature' };
    const now = 1_795_000_000_000;
    expect(checkGrafanaSignature({ 'x-grafana-alerting-signature': grafanaSignature('s3cret', body.toString()) }, body, plain, now)).toEqual({ ok: true });
    expect(checkGrafanaSignature({ 'x-grafana-alerting-signature': grafanaSignature('s3cret', body.toString()).toUpperCase() }, body, plain, now)).toEqual({ ok: true });
    expect(checkGrafanaSignature({}, body, plain, now).ok).toBe(false);
    const timed = { ...plain, timestampHeader: 'X-Ts' };
    const signed = (ts: number) => ({ 'x-grafana-alerting-signature': grafanaSignature('s3cret', body.toString(), String(ts)), 'x-ts': String(ts) });
    expect(checkGrafanaSignature(signed(now / 1000 - 299), body, timed, now)).toEqual({ ok: true });
    expect(checkGrafanaSignature(signed(now / 1000 - 301), body, timed, now).ok).toBe(false);
    expect(checkGrafanaSignature(signed(now / 1000 + 301), body, timed, now).ok).toBe(false);
  });
});

describe('/ops report alerts text', () => {
  it('shortens long alert names without splitting a character (no lone surrogate), marking the cut', () => {
    const t = translator('en');
    const name = `${'a'.repeat(78)}😀tail`;
    const report = { period: '2026-11-23 – 2026-11-29', alerts: 1, firings: 1, faults: 1, bySource: [], byName: [{ name, count: 3 }], byItem: [], noisiest: [{ name, count: 3 }], ackMedianMs: null, acknowledged: 0, clearedUnattended: 0 };
    const message = alertReportMessage(report, t);
    const value = message.fields?.find((f) => f.label === t('monitoring.report.byName'))?.value ?? '';
    expect(value).toContain(`${'a'.repeat(78)}…`);
    expect(cleanText(value)).toBe(value);
  });

  // A large body is checked in slices with turns of the event loop between them (give-way.ts), with
  // the same result as at once: the same notification, the same cleaning, the same reasons.
  it('reads a large body in turns, giving way between slices, with the result of reading it at once', async () => {
    const many = (n: number, summary = 'Disk full') => Array.from({ length: n }, (_, i) => ({ name: 'DiskFull', fingerprint: i.toString(16).padStart(16, '0'), summary: `${summary} ${i}` }));
    const count = ALERTS_PER_TURN * 10 + 1;
    const turnsDuring = async (run: () => Promise<unknown>) => {
      let turns = 0;
      let running = true;
      const tick = () => {
        turns++;
        if (running) setImmediate(tick);
      };
      setImmediate(tick);
      await run();
      running = false;
      return turns;
    };
    for (const [parse, body] of [
      [parseAlertmanager, amBody('g', many(count, 'Disk\u0000 full \ud800'))],
      [parseGrafana, grafanaBody('g', many(count))],
    ] as const) {
      let inTurns: unknown;
      const turns = await turnsDuring(async () => (inTurns = await parseInTurns(parse, body)));
      expect(turns).toBeGreaterThanOrEqual(10);
      expect(inTurns).toEqual(parse(body));
      expect(inTurns).toMatchObject({ ok: true, notification: { alerts: { length: count } } });
    }
    const cleaned = await parseInTurns(parseAlertmanager, amBody('g', many(3, 'Disk\u0000 full \ud800')));
    expect(cleaned.ok && cleaned.notification.alerts[0]?.summary).toBe('Disk full \ufffd 0');

    const broken = amBody('g', many(count));
    (broken.alerts as { status: string }[])[ALERTS_PER_TURN * 3 + 7] = { status: 'burning' };
    const reason = await parseInTurns(parseAlertmanager, { ...broken, version: '3' });
    expect(reason).toEqual(parseAlertmanager({ ...broken, version: '3' }));
    expect(reason.ok ? '' : reason.reason).toMatch(new RegExp(`^not an Alertmanager webhook body \\(version 4\\): version: .*; alerts\\.${ALERTS_PER_TURN * 3 + 7}\\.status: `));
  });
});
