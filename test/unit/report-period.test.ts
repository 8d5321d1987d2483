import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { readPeriod } from '../../src/reports/period.js';

const NOW = new Date('2026-11-25T12:00:00Z'); // Wednesday
const read = (text: string) => readPeriod(text, 'Europe/Berlin', NOW);
const reason = (text: string, locale: 'en' | 'zh-CN' = 'en') => {
  const r = read(text);
  if (!('key' in r)) throw new Error(`expected a problem for ${text}`);
  return translator(locale)(r.key, r.params);
};

describe('report periods say why a text is not one', () => {
  it('names the actual problem, in en and zh-CN', () => {
    expect(reason('2026-03-01 2026-02-01')).toBe('FROM 2026-03-01 is after TO 2026-02-01: give the earlier date first.');
    expect(reason('2026-13-01 2026-12-31')).toBe('There is no date 2026-13-01: give a real day as YYYY-MM-DD.');
    expect(reason('2026-02-01 2026-02-30')).toBe('There is no date 2026-02-30: give a real day as YYYY-MM-DD.');
    expect(reason('2026-13')).toBe('There is no month 2026-13: give a month as YYYY-MM, 01 to 12.');
    // 2025-01-01 to 2026-02-28 both included: 365 + 59 = 424 days.
    expect(reason('2025-01-01 2026-02-28')).toBe('That period spans 424 days; a period may span at most 400 days.');
    expect(reason('fortnight')).toContain('Unknown period "fortnight"');
    expect(reason('2026-03-01 2026-02-01', 'zh-CN')).toBe('开始日期 2026-03-01 晚于结束日期 2026-02-01：请先给出较早的日期。');
    expect(reason('2026-02-01 2026-02-30', 'zh-CN')).toBe('不存在日期 2026-02-30：请给出真实的日期，格式为 YYYY-MM-DD。');
    expect(reason('2025-01-01 2026-02-28', 'zh-CN')).toBe('该期间跨越 424 天；期间最多 400 天。');
  });

  it('knows what a period covers: a calendar week, month, quarter, or other days', () => {
    const span = (text: string) => {
      const r = read(text);
      return 'key' in r ? r.key : r.span;
    };
    expect([span('week'), span('last-week'), span('2026-11-23 2026-11-29')]).toEqual(['week', 'week', 'week']);
    expect([span('month'), span('2026-11'), span('2026-02-01 2026-02-28')]).toEqual(['month', 'month', 'month']);
    expect(span('quarter')).toBe('quarter');
    // 7 days from a Tuesday, and 13 months, are neither.
    expect([span('2026-11-24 2026-11-30'), span('2025-01-01 2026-01-31')]).toEqual(['days', 'days']);
  });
});
