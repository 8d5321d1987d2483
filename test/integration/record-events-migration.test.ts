import { afterEach, describe, expect, it } from 'vitest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { RecordEvents1764720000000 } from '../../migrations/1764720000000-RecordEvents.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

// A database at the schema before record_events, seeded with interleaved events of all three record
// kinds through raw SQL (the entities of that time are gone), migrated up and back down.

const UPTO = MIGRATIONS.indexOf(RecordEvents1764720000000);
const BEFORE = MIGRATIONS.slice(0, UPTO);
const WITH = MIGRATIONS.slice(0, UPTO + 1);

interface Legacy {
  table: string;
  column: string;
  parent: string;
  kind: string;
}
const LEGACY: Legacy[] = [
  { table: 'fault_events', column: 'fault_id', parent: 'faults', kind: 'fault' },
  { table: 'service_request_events', column: 'request_id', parent: 'service_requests', kind: 'request' },
  { table: 'change_events', column: 'change_id', parent: 'changes', kind: 'change' },
];

/** One event as the timeline shows it. */
interface Line {
  actor_id: number | null;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  note: string | null;
  created_at: string;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString();

/** [table, parent id, line]; inserted in this order, so times interleave across tables and tie. */
const SEED: [string, number, Line][] = [
  ['fault_events', 1, { actor_id: 1, kind: 'reported', from_state: null, to_state: 'reported', note: null, created_at: at(0) }],
  ['change_events', 1, { actor_id: 1, kind: 'submitted', from_state: null, to_state: 'submitted', note: null, created_at: at(1) }],
  ['service_request_events', 1, { actor_id: 2, kind: 'submitted', from_state: null, to_state: 'submitted', note: null, created_at: at(1) }],
  ['fault_events', 2, { actor_id: 2, kind: 'reported', from_state: null, to_state: 'reported', note: null, created_at: at(2) }],
  ['fault_events', 1, { actor_id: 2, kind: 'acknowledge', from_state: 'reported', to_state: 'acknowledged', note: null, created_at: at(3) }],
  ['service_request_events', 1, { actor_id: 2, kind: 'take', from_state: 'submitted', to_state: 'assigned', note: null, created_at: at(3) }],
  ['change_events', 1, { actor_id: 2, kind: 'approve', from_state: null, to_state: 'submitted', note: 'looks "fine"; it\'s ok', created_at: at(4) }],
  ['fault_events', 1, { actor_id: 2, kind: 'reassigned', from_state: null, to_state: 'acknowledged', note: 'bo', created_at: at(4) }],
  ['change_events', 1, { actor_id: null, kind: 'scheduled', from_state: 'approved', to_state: 'scheduled', note: '2026-11-25 21:00', created_at: at(5) }],
  ['fault_events', 1, { actor_id: null, kind: 'close', from_state: 'resolved', to_state: 'closed', note: null, created_at: at(6) }],
  ['service_request_events', 1, { actor_id: 1, kind: 'close', from_state: 'fulfilled', to_state: 'closed', note: '完成', created_at: at(7) }],
];

const literal = (value: string | number | null): string => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);

class Database {
  constructor(
    readonly options: DataSourceOptions,
    private readonly schema: string | undefined,
  ) {}

  path(table: string): string {
    return this.schema ? `"${this.schema}"."${table}"` : `"${table}"`;
  }

  async open(migrations: typeof MIGRATIONS): Promise<DataSource> {
    const dataSource = new DataSource({ ...this.options, migrations });
    await dataSource.initialize();
    return dataSource;
  }

  /** Inserts a row, filling every required column the test does not name with a plain value. */
  async insert(dataSource: DataSource, table: string, values: Record<string, string | number | null>): Promise<void> {
    const queryRunner = dataSource.createQueryRunner();
    const shape = await queryRunner.getTable(table);
    await queryRunner.release();
    const row: Record<string, string | number | null> = {};
    for (const column of shape?.columns ?? []) {
      if (column.isGenerated || column.isNullable || column.default !== undefined) continue;
      if (column.type === 'integer') row[column.name] = column.name.endsWith('_id') ? 1 : 0;
      else if (column.name.endsWith('_at') || column.name.startsWith('window_')) row[column.name] = at(0);
      else row[column.name] = 'x';
    }
    Object.assign(row, values);
    const names = Object.keys(row);
    await dataSource.query(`INSERT INTO ${this.path(table)} (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((n) => literal(row[n] ?? null)).join(', ')})`);
  }

  async lines(dataSource: DataSource, table: string, where: string): Promise<Line[]> {
    const rows: Line[] = await dataSource.query(
      `SELECT actor_id, kind, from_state, to_state, note, created_at FROM ${this.path(table)} WHERE ${where} ORDER BY id`,
    );
    return rows.map((r) => ({ ...r, actor_id: r.actor_id === null ? null : Number(r.actor_id) }));
  }
}

/** What each old table held per parent record, in id order. */
function expectedTimelines(): Map<string, Line[]> {
  const timelines = new Map<string, Line[]>();
  for (const [table, id, line] of SEED) {
    const key = `${table}:${id}`;
    timelines.set(key, [...(timelines.get(key) ?? []), line]);
  }
  return timelines;
}

async function seedPreviousSchema(db: Database): Promise<void> {
  const dataSource = await db.open(BEFORE);
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    await db.insert(dataSource, 'people', { id: 1, display_name: 'ann' });
    await db.insert(dataSource, 'people', { id: 2, display_name: 'bo' });
    for (const id of [1, 2]) await db.insert(dataSource, 'faults', { id, state: 'reported', reporter_id: 1, assignee_id: null });
    await db.insert(dataSource, 'service_requests', { id: 1, state: 'closed', requester_id: 2 });
    await db.insert(dataSource, 'changes', { id: 1, state: 'scheduled', requester_id: 1, implementer_id: 1 });
    for (const [table, id, line] of SEED) {
      const column = LEGACY.find((l) => l.table === table)?.column ?? '';
      await db.insert(dataSource, table, { [column]: id, ...line });
    }
  } finally {
    await dataSource.destroy();
  }
}

async function checkRoundTrip(db: Database): Promise<void> {
  await seedPreviousSchema(db);
  const dataSource = await db.open(WITH);
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    // Up: every timeline reads as before, and ids follow time across the kinds.
    for (const [key, lines] of expectedTimelines()) {
      const [table, id] = key.split(':');
      const legacy = LEGACY.find((l) => l.table === table);
      expect(await db.lines(dataSource, 'record_events', `record_kind = '${legacy?.kind}' AND record_id = ${id}`)).toEqual(lines);
    }
    const all = await db.lines(dataSource, 'record_events', '1 = 1');
    expect(all).toHaveLength(SEED.length);
    expect(all.map((l) => l.created_at)).toEqual([...all.map((l) => l.created_at)].sort());
    for (const legacy of LEGACY) expect(await dataSource.createQueryRunner().hasTable(legacy.table)).toBe(false);

    // Down: the three tables are back with their rows, in the same order per record.
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await dataSource.createQueryRunner().hasTable('record_events')).toBe(false);
    for (const [key, lines] of expectedTimelines()) {
      const [table, id] = key.split(':');
      const legacy = LEGACY.find((l) => l.table === table);
      expect(await db.lines(dataSource, table ?? '', `${legacy?.column} = ${id}`)).toEqual(lines);
    }
    // And up again from there gives the same timeline.
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await db.lines(dataSource, 'record_events', '1 = 1')).toEqual(all);
  } finally {
    await dataSource.destroy();
  }
}

describe('the record_events migration', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('moves the three timelines into one on SQLite, keeping order and times, and moves them back on down', async () => {
    const file = tempSqliteUrl('opsdesk-record-events-').slice('sqlite:'.length);
    await checkRoundTrip(new Database({ type: 'better-sqlite3', database: file, prepareDatabase: (db: { pragma: (sql: string) => unknown }) => void db.pragma('foreign_keys = ON') }, undefined));
  });

  it('does the same on PostgreSQL', async () => {
    const { schema, drop } = await createSchema();
    cleanups.push(drop);
    await checkRoundTrip(new Database({ type: 'postgres', url: POSTGRES_URL, schema }, schema));
  });
});
