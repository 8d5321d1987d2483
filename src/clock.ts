import { readFileSync } from 'node:fs';

/** The time source; tests pass a controllable one instead of waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(date: Date): void {
    this.current = new Date(date);
  }
}

/**
 * A clock read from a file holding an ISO time, for end-to-end tests of the real process: the test
 * rewrites the file to move time forward (OPSDESK_CLOCK_FILE).
 */
export class FileClock implements Clock {
  constructor(private readonly path: string) {}

  now(): Date {
    const date = new Date(readFileSync(this.path, 'utf8').trim());
    if (Number.isNaN(date.getTime())) throw new Error(`${this.path} does not hold an ISO time`);
    return date;
  }
}
