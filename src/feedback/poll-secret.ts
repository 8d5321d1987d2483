// Where the key of the anonymous poll ballots comes from. It must never be in the database: a ballot
// is stored under HMAC-SHA256(key, poll:person), so whoever holds a copy of the database and the key
// could recompute every person's hash and link each open poll's ballots to people (issue 9, item 5).
import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { databaseKind } from '../store/data-source.js';

/** 32 random bytes as hex: what a generated key file holds. */
const KEY_BYTES = 32;
const KEY_FILE_CONTENT = /^[0-9a-f]{64}$/;
/** A key file's name: the SQLite file's with this appended (`./data/opsdesk.db.poll-secret`). */
export const POLL_KEY_FILE_SUFFIX = '.poll-secret';

/** The poll key, or why there is none (polls are then refused with `feedback.error.noPollSecret`). */
export type PollSecret = { kind: 'key'; value: string; source: 'env' | 'file' | 'memory'; path?: string } | { kind: 'missing'; reason: 'postgres' };

/**
 * The poll key for a configuration: `POLL_SECRET` when set; else, with SQLite, the key file beside the
 * database file (created at first start with mode 0600, then read); with an in-memory SQLite
 * database, a key that lives as long as the process (and the database); with PostgreSQL, none:
 * replicas must share one key, which only the environment can give them all.
 * Throws when the key file cannot be created or read, or holds anything but a generated key.
 */
export function resolvePollSecret(config: { DATABASE_URL: string; POLL_SECRET?: string | undefined }): PollSecret {
  if (config.POLL_SECRET) return { kind: 'key', value: config.POLL_SECRET, source: 'env' };
  if (databaseKind(config.DATABASE_URL) !== 'sqlite') return { kind: 'missing', reason: 'postgres' };
  const database = config.DATABASE_URL.slice('sqlite:'.length);
  if (database === ':memory:') return { kind: 'key', value: randomBytes(KEY_BYTES).toString('hex'), source: 'memory' };
  const path = `${database}${POLL_KEY_FILE_SUFFIX}`;
  return { kind: 'key', value: readOrCreateKeyFile(path), source: 'file', path };
}

/** The key in `path`, which is created (mode 0600) when it does not exist yet. */
export function readOrCreateKeyFile(path: string): string {
  // Written whole to a private file, then linked into place: `link` fails when the key file exists,
  // so two processes starting at once never see a half-written key and both end up reading one key.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(draft, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    // The umask may have narrowed the mode, never widened it; make it exactly owner-only.
    chmodSync(draft, 0o600);
    linkSync(draft, path);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
  } finally {
    rmSync(draft, { force: true });
  }
  const content = readFileSync(path, 'utf8').trim();
  if (!KEY_FILE_CONTENT.test(content)) throw new Error(`poll key file ${path} does not hold a generated key (64 hex characters); restore it or delete it while no poll is open`);
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`poll key file ${path} is readable by others than its owner: chmod 600 it`);
  return content;
}
