import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileClock } from '../../src/clock.js';

describe('file clock (end-to-end tests move time with it)', () => {
  it('reads the time from the file, and keeps the last good time while the file is half-written', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'opsdesk-clock-')), 'now');
    writeFileSync(path, '2026-11-23T09:00:00.000Z\n');
    const clock = new FileClock(path);
    expect(clock.now().toISOString()).toBe('2026-11-23T09:00:00.000Z');
    writeFileSync(path, '');
    expect(clock.now().toISOString()).toBe('2026-11-23T09:00:00.000Z');
    writeFileSync(path, '2026-11-23T13:00:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-11-23T13:00:00.000Z');
  });

  it('refuses to start from a file without a time', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'opsdesk-clock-')), 'now');
    writeFileSync(path, 'soon');
    expect(() => new FileClock(path).now()).toThrow(/does not hold an ISO time/);
  });
});
