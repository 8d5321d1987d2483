// Issue 9, item 5: anonymous polls stay anonymous to whoever reads the database. The ballot key is
// HMAC(secret, poll:person) and the secret is kept outside the database, so a copy of the database
// taken while a poll is open cannot link a ballot to a person.
import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PollSecretOutOfDatabase1764763200000 } from '../../migrations/1764763200000-PollSecretOutOfDatabase.js';
import { loadConfig } from '../../src/config.js';
import { InvalidInputError } from '../../src/errors.js';
import { POLL_KEY_FILE_SUFFIX, readOrCreateKeyFile, resolvePollSecret } from '../../src/feedback/poll-secret.js';
import { voterKey } from '../../src/feedback/rules.js';
import { FeedbackBallot, FeedbackPoll, Setting } from '../../src/store/entities/index.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';

const VOTERS = ['amara.k', 'bruno.t', 'chen.y', 'dana.m', 'emil.r'] as const;

/** Every value of every row of every table of a SQLite file, as text. */
function everyValue(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.flatMap(({ name }) =>
      (db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[]).flatMap((row) =>
        Object.values(row).flatMap((v) => (Buffer.isBuffer(v) ? [v.toString('hex')] : typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? [String(v)] : [])),
      ),
    );
  } finally {
    db.close();
  }
}

describe('the poll key kept outside the database', () => {
  let world: TestWorld | undefined;
  afterEach(async () => {
    await world?.store.close();
    world = undefined;
  });

  it('creates a key file with mode 0600 beside the SQLite file at first start, and reads the same key after', () => {
    const url = tempSqliteUrl('opsdesk-pollkey-');
    const first = resolvePollSecret({ DATABASE_URL: url });
    const path = `${url.slice('sqlite:'.length)}${POLL_KEY_FILE_SUFFIX}`;
    expect(first).toMatchObject({ kind: 'key', source: 'file', path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolvePollSecret({ DATABASE_URL: url })).toEqual(first);
    // POLL_SECRET wins; PostgreSQL without it has no key (replicas must share one through the environment).
    expect(resolvePollSecret({ DATABASE_URL: url, POLL_SECRET: 'x'.repeat(40) })).toEqual({ kind: 'key', value: 'x'.repeat(40), source: 'env' });
    expect(resolvePollSecret({ DATABASE_URL: 'postgres://db.example/opsdesk' })).toEqual({ kind: 'missing', reason: 'postgres' });
  });

  it('refuses a key file that is damaged or readable by others', () => {
    const path = join(dirname(tempSqliteUrl('opsdesk-pollkey-').slice('sqlite:'.length)), 'broken.poll-secret');
    writeFileSync(path, 'not a key', { mode: 0o600 });
    expect(() => readOrCreateKeyFile(path)).toThrow(/does not hold a generated key/);
    writeFileSync(path, `${'a'.repeat(64)}\n`);
    chmodSync(path, 0o644);
    expect(() => readOrCreateKeyFile(path)).toThrow(/chmod 600/);
  });

  it('validates POLL_SECRET in the configuration without showing it', () => {
    expect(() => loadConfig({ POLL_SECRET: 'short-secret' })).toThrow(/POLL_SECRET: expected at least 32 random characters/);
    try {
      loadConfig({ POLL_SECRET: 'short-secret' });
    } catch (error) {
      expect(String(error)).not.toContain('short-secret');
    }
    expect(loadConfig({ POLL_SECRET: 'k'.repeat(32) }).POLL_SECRET).toBe('k'.repeat(32));
  });

  it('leaves a database copy taken while a poll is open unable to link any ballot to a person', async () => {
    const url = tempSqliteUrl('opsdesk-pollcopy-');
    const secret = resolvePollSecret({ DATABASE_URL: url });
    if (secret.kind !== 'key') throw new Error('no key');
    world = await openTestWorld({ url, pollSecret: secret.value });
    const w = world;
    await w.services.settings.set(await w.actor('admin'), 'feedback_channel', 'slack:CFEEDBACK');
    const poll = await w.services.feedback.polls.post(await w.actor('admin'), 'How was IT this week?');
    const voters = await Promise.all(VOTERS.map((name) => w.actor(name)));
    for (const [i, voter] of voters.entries()) await w.services.feedback.polls.vote(voter, poll.id, ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5);

    // The copy an administrator (or a thief) would take: consistent, WAL included.
    const copy = join(dirname(url.slice('sqlite:'.length)), 'copy.db');
    await w.store.dataSource.query(`VACUUM INTO '${copy}'`);
    const bytes = readFileSync(copy);
    expect(bytes.includes(Buffer.from(secret.value))).toBe(false);
    expect(bytes.includes(Buffer.from(secret.value, 'hex'))).toBe(false);
    expect(existsSync(`${copy}${POLL_KEY_FILE_SUFFIX}`)).toBe(false);

    const values = [...new Set(everyValue(copy))];
    expect(values).not.toContain(secret.value);
    const ballots = await w.store.manager.find(FeedbackBallot, { where: { pollId: poll.id } });
    expect(ballots).toHaveLength(VOTERS.length);
    const ballotKeys = new Set(ballots.map((b) => b.voterKey));
    // Try every value in the copy as the key, for every person and every poll it holds.
    const people = voters.map((v) => v.personId);
    const polls = (await w.store.manager.find(FeedbackPoll)).map((p) => p.id);
    let tried = 0;
    for (const candidate of values) {
      for (const pollId of polls) {
        for (const personId of people) {
          tried += 1;
          expect(ballotKeys.has(createHmac('sha256', candidate).update(`${pollId}:${personId}`).digest('hex'))).toBe(false);
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    // ...while the key from outside the database does link them: the search above would have found it.
    for (const voter of voters) expect(ballotKeys.has(voterKey(secret.value, poll.id, voter.personId))).toBe(true);
  });

  it('refuses to start a poll, or take a vote, without a key, and changes nothing', async () => {
    const url = tempSqliteUrl('opsdesk-nokey-');
    world = await openTestWorld({ url, pollSecret: null });
    const w = world;
    await w.services.settings.set(await w.actor('admin'), 'feedback_channel', 'slack:CFEEDBACK');
    const refused = w.services.feedback.polls.post(await w.actor('admin'));
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ messageKey: 'feedback.error.noPollSecret' });
    expect(await w.store.manager.count(FeedbackPoll)).toBe(0);
    await expect(w.services.feedback.polls.postScheduled(new Date('2026-11-30T09:00:30Z'))).rejects.toThrow(/set POLL_SECRET/);
    expect(await w.store.manager.count(FeedbackPoll)).toBe(0);

    // A poll started by a process that had the key; this one, started without it, takes no vote.
    const keyed = await openTestWorld({ url });
    try {
      const poll = await keyed.services.feedback.polls.post(await keyed.actor('admin'));
      await expect(w.services.feedback.polls.vote(await w.actor('amara.k'), poll.id, 4)).rejects.toMatchObject({ messageKey: 'feedback.error.noPollSecret' });
      expect(await w.store.manager.count(FeedbackBallot)).toBe(0);
    } finally {
      await keyed.store.close();
    }
  });

  it('deletes the key earlier versions stored in the settings table', async () => {
    world = await openTestWorld();
    const w = world;
    await w.store.manager.insert(Setting, { key: 'feedback.poll_secret', value: 'f'.repeat(64), updatedBy: null, updatedAt: new Date() });
    await w.store.manager.insert(Setting, { key: 'poll_days', value: '3', updatedBy: null, updatedAt: new Date() });
    const runner = w.store.dataSource.createQueryRunner();
    try {
      await new PollSecretOutOfDatabase1764763200000().up(runner);
    } finally {
      await runner.release();
    }
    expect((await w.store.manager.find(Setting)).map((s) => s.key)).toEqual(['poll_days']);
  });
});
