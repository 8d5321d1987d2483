import { describe, expect, it } from 'vitest';
import { SLA_SETTINGS, describePolicy, parseEscalationDelays, parseFractions, parseTarget, slaPolicyFrom } from '../../src/sla/policy.js';

const H = 3_600_000;
const M = 60_000;
const normalise = (key: string, raw: string) => SLA_SETTINGS.find((s) => s.key === key)?.parse(raw, 'slack');

describe('SLA policy settings', () => {
  it('reads targets as response/resolution and calendar', () => {
    expect(parseTarget('15m/4h 24x7')).toEqual({ responseMs: 15 * M, resolveMs: 4 * H, calendar: '24x7' });
    expect(parseTarget(' 2h / 24h  business_hours ')).toEqual({ responseMs: 2 * H, resolveMs: 24 * H, calendar: 'business' });
    expect(parseTarget('4h/2h 24x7')).toBeUndefined(); // resolution before response
    expect(parseTarget('15m/4h')).toBeUndefined();
    expect(parseTarget('0m/4h 24x7')).toBeUndefined();
  });

  it('normalises what admins type, keeping working hours as hours', () => {
    expect(normalise('sla_fault_p3', '120m/1d business')).toBe('2h/24h business');
    expect(normalise('sla_request_p1', '15m/4h 24/7')).toBe('15m/4h 24x7');
    expect(normalise('business_hours', 'mon-fri 8:30-17:00')).toBe('Mon-Fri 08:30-17:00');
    expect(normalise('holidays', '2026-12-25 2026-12-24')).toBe('2026-12-24, 2026-12-25');
    expect(normalise('holidays', 'none')).toBe('none');
    expect(normalise('reminder_fractions', '0.5 0.8')).toBe('50%, 80%');
    expect(normalise('escalation_delays', '5m 1h')).toBe('5m, 1h');
    expect(normalise('reminder_fractions', '90%, 50%')).toBeUndefined();
    expect(normalise('escalation_delays', '1h, 5m')).toBeUndefined();
  });

  it('reads fractions and escalation delays', () => {
    expect(parseFractions('50%, 75%, 90%')).toEqual([0.5, 0.75, 0.9]);
    expect(parseFractions('100%')).toBeUndefined();
    expect(parseFractions('10% 20% 30% 40% 50% 60%')).toBeUndefined();
    expect(parseEscalationDelays('0m, 30m')).toEqual([0, 30 * M]);
    expect(parseEscalationDelays('30m')).toBeUndefined();
  });

  it('takes the DESIGN.md defaults for what is not set, and ignores unreadable stored values', () => {
    const policy = slaPolicyFrom(new Map([['sla_fault_p2', 'garbage'], ['sla_request_p4', '1h/8h 24x7']]), 'Asia/Shanghai');
    expect(policy.targets.fault.P2).toEqual({ responseMs: 30 * M, resolveMs: 8 * H, calendar: '24x7' });
    expect(policy.targets.request.P4).toEqual({ responseMs: 1 * H, resolveMs: 8 * H, calendar: '24x7' });
    expect(describePolicy(policy).map((l) => `${l.key}: ${l.value}`)).toEqual([
      'sla_fault_p1: 15m/4h 24x7',
      'sla_fault_p2: 30m/8h 24x7',
      'sla_fault_p3: 2h/24h business',
      'sla_fault_p4: 4h/72h business',
      'sla_request_p1: 15m/4h 24x7',
      'sla_request_p2: 30m/8h 24x7',
      'sla_request_p3: 2h/24h business',
      'sla_request_p4: 1h/8h 24x7',
      'business_hours: Mon-Fri 09:00-18:00 (Asia/Shanghai)',
      'holidays: none',
      'reminder_fractions: 50%, 75%, 90%',
      'escalation_delays: 0m, 30m',
    ]);
  });
});
