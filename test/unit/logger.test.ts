import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

describe('logger', () => {
  it('logs an error without the query parameters it carries, and redacts secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    const failure = Object.assign(new Error('UNIQUE constraint failed'), { query: 'INSERT INTO ballots', parameters: ['voter-key-123', 4] });
    logger.error({ err: failure, config: { SLACK_BOT_TOKEN: 'xoxb-secret' } }, 'vote failed');
    const line = lines.join('');
    expect(line).toContain('UNIQUE constraint failed');
    expect(line).not.toContain('voter-key-123');
    expect(line).not.toContain('INSERT INTO ballots');
    expect(line).not.toContain('xoxb-secret');
  });
});
