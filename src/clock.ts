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
  private last: Date | undefined;

  constructor(private readonly path: string) {}

  /** A file caught half-written reads as the last good time, so time never jumps or fails. */
  now(): Date {
    let date: Date | undefined;
    try {
      date = new Date(readFileSync(this.path, 'utf8').trim());
    } catch {
      date = undefined;
    }
    if (date && !Number.isNaN(date.getTime())) this.last = date;
    if (!this.last) throw new Error(`${this.path} does not hold an ISO time`);
    return new Date(this.last);
  }
}
