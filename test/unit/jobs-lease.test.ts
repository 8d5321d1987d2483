import { describe, expect, it } from 'vitest';
import { runKeyOf } from '../../src/jobs/lease.js';

describe('runKeyOf', () => {
  it('names a fire by its second, so timers a few milliseconds apart agree', () => {
    expect(runKeyOf(new Date('2026-03-02T09:00:00.000Z'))).toBe('2026-03-02T09:00:00.000Z');
    expect(runKeyOf(new Date('2026-03-02T09:00:00.994Z'))).toBe('2026-03-02T09:00:00.000Z');
  });

  it('orders later fires after earlier ones as text (the claim compares run keys)', () => {
    const keys = ['2026-03-02T09:00:59.000Z', '2026-03-02T09:01:00.000Z', '2026-12-31T23:59:59.000Z', '2027-01-01T00:00:00.000Z'];
    expect([...keys].sort()).toEqual(keys);
    expect(runKeyOf(new Date('2026-03-02T09:00:59.999Z')) < runKeyOf(new Date('2026-03-02T09:01:00.001Z'))).toBe(true);
  });
});
