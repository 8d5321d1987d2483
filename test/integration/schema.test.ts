import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/store/data-source.js';

describe('migrations and entities', () => {
  let dataSource: DataSource | undefined;
  afterEach(async () => {
    await dataSource?.destroy();
  });

  it('agree on SQLite: the schema diff after migrating is empty', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opsdesk-schema-')), 'db.sqlite');
    dataSource = await openDatabase(`sqlite:${file}`);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('turns WAL on', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'opsdesk-schema-')), 'db.sqlite');
    dataSource = await openDatabase(`sqlite:${file}`);
    const rows: { journal_mode: string }[] = await dataSource.query('PRAGMA journal_mode');
    expect(rows[0]?.journal_mode).toBe('wal');
  });
});
