import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The clock of a bot process started with `OPSDESK_CLOCK_FILE: clock.path`: `clock.set(iso)` moves its
 * time. The file is written aside and renamed into place, so the bot never reads a half-written time.
 */
export class ClockFile {
  readonly path = join(mkdtempSync(join(tmpdir(), 'opsdesk-clock-')), 'now');

  constructor(start: string) {
    this.set(start);
  }

  set(iso: string): void {
    writeFileSync(`${this.path}.next`, iso);
    renameSync(`${this.path}.next`, this.path);
  }
}
