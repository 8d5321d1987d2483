import { afterEach, describe, expect, it } from 'vitest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { SYSTEM_NOTES, SearchTimelineNotes1765324800000 } from '../../migrations/1765324800000-SearchTimelineNotes.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { ENTITIES } from '../../src/store/entities/index.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

// A database at the schema before timeline notes were indexed, with faults whose timelines carry notes,
// migrated up (the notes are filled in from the timeline) and back down (the index as it was before).

const UPTO = MIGRATIONS.indexOf(SearchTimelineNotes1765324800000);
const WITH = MIGRATIONS.slice(0, UPTO + 1);
const AT = '2026-11-23T09:00:00.000Z';

type Value = string | number | null;
const literal = (value: Value): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);

class Database {
  constructor(
    readonly options: DataSourceOptions,
    private readonly schema: string | undefined,
  ) {}

  path(table: string): string {
    return this.schema ? `"${this.schema}"."${table}"` : `"${table}"`;
  }

  /** Inserts a row, filling every required column the test does not name with a plain value. */
  async insert(dataSource: DataSource, table: string, values: Record<string, Value>): Promise<void> {
    const queryRunner = dataSource.createQueryRunner();
    const shape = await queryRunner.getTable(table);
    await queryRunner.release();
    const row: Record<string, Value> = {};
    for (const column of shape?.columns ?? []) {
      if (column.isGenerated || column.isNullable || column.default !== undefined) continue;
      if (column.type === 'integer') row[column.name] = column.name.endsWith('_id') ? 1 : 0;
      else if (column.name.endsWith('_at')) row[column.name] = AT;
      else row[column.name] = 'x';
    }
    Object.assign(row, values);
    const names = Object.keys(row);
    await dataSource.query(`INSERT INTO ${this.path(table)} (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((n) => literal(row[n] ?? null)).join(', ')})`);
  }

  /** The faults whose index row contains `text` in any searched column (plain substring test). */
  async faultsWith(dataSource: DataSource, text: string, columns: string[]): Promise<number[]> {
    const like = columns.map((c) => `${c} LIKE ${literal(`%${text}%`)}`).join(' OR ');
    const rows: { record_id: number | string }[] = await dataSource.query(`SELECT record_id FROM ${this.path('record_search')} WHERE kind = 'fault' AND (${like}) ORDER BY record_id`);
    return rows.map((r) => Number(r.record_id));
  }
}

async function checkRoundTrip(db: Database): Promise<void> {
  const dataSource = new DataSource({ ...db.options, entities: ENTITIES, migrations: WITH });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.undoLastMigration({ transaction: 'each' });
    await db.insert(dataSource, 'people', { id: 1, display_name: 'ann' });
    for (const id of [1, 2, 3]) await db.insert(dataSource, 'faults', { id, title: `Printer ${id}`, description: 'paper jam', state: 'reported', reporter_id: 1, assignee_id: null });
    const event = (recordKind: string, recordId: number, note: string | null) =>
      db.insert(dataSource, 'record_events', { record_kind: recordKind, record_id: recordId, actor_id: null, kind: 'alert_firing', note, created_at: AT });
    await event('fault', 1, 'toner 碳粉盒 empty');
    await event('fault', 1, null);
    await event('fault', 1, 'replaced the drum');
    await event('fault', 2, null);
    await event('request', 3, 'a request note, not fault 3');
    // An alert storm on fault 2: of opsdesk's own lines the first SYSTEM_NOTES are indexed, a person's note always.
    const storm = Array.from({ length: SYSTEM_NOTES + 2 }, (_, i) => `line ${i + 1}`);
    for (const line of storm) await event('fault', 2, line);
    await db.insert(dataSource, 'record_events', { record_kind: 'fault', record_id: 2, actor_id: 1, kind: 'comment', note: 'by ann', created_at: AT });

    await dataSource.runMigrations({ transaction: 'each' });
    const notes: { record_id: number | string; notes: string }[] = await dataSource.query(
      `SELECT record_id, notes FROM ${db.path('record_search')} WHERE kind = 'fault' ORDER BY record_id`,
    );
    expect(notes.map((n) => [Number(n.record_id), n.notes])).toEqual([
      [1, 'toner 碳粉盒 empty\nreplaced the drum'],
      [2, [...storm.slice(0, SYSTEM_NOTES), 'by ann'].join('\n')],
      [3, ''],
    ]);
    // Written from now on by the triggers, in the same statement's transaction.
    await event('fault', 3, 'drum 碳粉盒 swapped');
    expect(await db.faultsWith(dataSource, '碳粉盒', ['title', 'body', 'notes'])).toEqual([1, 3]);
    // An edit of the record keeps its notes.
    await dataSource.query(`UPDATE ${db.path('faults')} SET title = 'Printer three' WHERE id = 3`);
    expect(await db.faultsWith(dataSource, 'swapped', ['notes'])).toEqual([3]);
    expect(await db.faultsWith(dataSource, 'three', ['title'])).toEqual([3]);

    await dataSource.undoLastMigration({ transaction: 'each' });
    const queryRunner = dataSource.createQueryRunner();
    const columns = (await queryRunner.getTable('record_search'))?.columns.map((c) => c.name) ?? [];
    await queryRunner.release();
    if (columns.length > 0) expect(columns).not.toContain('notes');
    // The previous index still serves titles and bodies and is still kept by its triggers.
    expect(await db.faultsWith(dataSource, 'Printer', ['title'])).toEqual([1, 2, 3]);
    await dataSource.query(`UPDATE ${db.path('faults')} SET title = 'Scanner one' WHERE id = 1`);
    expect(await db.faultsWith(dataSource, 'Scanner', ['title'])).toEqual([1]);
    await expect(dataSource.query(`SELECT notes FROM ${db.path('record_search')}`)).rejects.toThrow();
    await event('fault', 2, 'after down');
  } finally {
    await dataSource.destroy();
  }
}

describe('the timeline notes search migration', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('fills the notes from the timeline on SQLite, keeps them with triggers, and restores the index on down', async () => {
    const file = tempSqliteUrl('opsdesk-search-notes-').slice('sqlite:'.length);
    await checkRoundTrip(new Database({ type: 'better-sqlite3', database: file }, undefined));
  });

  it('does the same on PostgreSQL', async () => {
    const { schema, drop } = await createSchema();
    cleanups.push(drop);
    await checkRoundTrip(new Database({ type: 'postgres', url: POSTGRES_URL, schema }, schema));
  });
});
