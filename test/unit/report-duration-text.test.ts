import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { durationText } from '../../src/reports/duration-text.js';

describe('durations in KPI and report messages', () => {
  it('shows under a minute in seconds instead of rounding to 0m or 1m (en)', () => {
    const t = translator('en');
    expect(durationText(45_000, t)).toBe('45s');
    expect(durationText(3_600, t)).toBe('4s');
    expect(durationText(0, t)).toBe('0s');
    expect(durationText(60_000, t)).toBe('1m');
    expect(durationText(90 * 60_000, t)).toBe('1h30m');
    expect(durationText(26 * 3_600_000 + 5 * 60_000, t)).toBe('1d2h5m');
  });

  it('uses the catalog unit words in zh-CN', () => {
    const t = translator('zh-CN');
    expect(durationText(45_000, t)).toBe('45秒');
    expect(durationText(90 * 60_000, t)).toBe('1小时30分钟');
    expect(durationText(26 * 3_600_000 + 5 * 60_000, t)).toBe('1天2小时5分钟');
  });
});
