// The timeline column of the reports' loader (load-records.ts): `kind from to actor at` lines,
// comma-joined, read back into timeline steps; a line it cannot read is refused, not guessed.
import { describe, expect, it } from 'vitest';
import { stepsOf } from '../../src/reports/load-records.js';

describe('timeline steps read from one column', () => {
  it('reads each line, empty fields as null, in the order given', () => {
    expect(stepsOf('report  reported 7 2026-11-23T09:00:00.000Z,resolve reported resolved  2026-11-23T09:05:00.000Z')).toEqual([
      { at: new Date('2026-11-23T09:00:00.000Z'), actorId: 7, kind: 'report', fromState: null, toState: 'reported' },
      { at: new Date('2026-11-23T09:05:00.000Z'), actorId: null, kind: 'resolve', fromState: 'reported', toState: 'resolved' },
    ]);
  });

  it('has no steps for a record without events', () => {
    expect(stepsOf(null)).toEqual([]);
    expect(stepsOf('')).toEqual([]);
  });

  it('refuses a line whose kind has a space instead of shifting the fields', () => {
    expect(() => stepsOf('odd kind reported acknowledged 7 2026-11-23T09:00:00.000Z')).toThrow('unreadable timeline line');
  });
});
