import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, text, varchar } from './columns.js';

// One timeline for every record kind: the events of fault_events, service_request_events and
// change_events move into record_events, oldest first, so that each record's timeline keeps its order
// and times. `down` puts the three tables back with their rows.

/** A timeline table of the previous schema, and the record kind its rows become. */
interface LegacyTimeline {
  table: string;
  recordKind: string;
  column: string;
  parent: string;
  indices: TableIndex[];
  foreignKey: string;
}

const LEGACY: readonly LegacyTimeline[] = [
  {
    table: 'fault_events',
    recordKind: 'fault',
    column: 'fault_id',
    parent: 'faults',
    indices: [new TableIndex({ name: 'IDX_fault_events_fault', columnNames: ['fault_id'] })],
    foreignKey: 'FK_fault_events_fault',
  },
  {
    table: 'service_request_events',
    recordKind: 'request',
    column: 'request_id',
    parent: 'service_requests',
    indices: [new TableIndex({ name: 'IDX_service_request_events_request', columnNames: ['request_id'] })],
    foreignKey: 'FK_service_request_events_request',
  },
  {
    table: 'change_events',
    recordKind: 'change',
    column: 'change_id',
    parent: 'changes',
    indices: [
      new TableIndex({ name: 'IDX_change_events_change', columnNames: ['change_id'] }),
      new TableIndex({ name: 'IDX_change_events_kind', columnNames: ['kind'] }),
    ],
    foreignKey: 'FK_change_events_change',
  },
];

const EVENT_COLUMNS = 'actor_id, kind, from_state, to_state, note, created_at';

/** The table's name for raw SQL, qualified with the schema the DataSource works in on PostgreSQL. */
function path(queryRunner: QueryRunner, table: string): string {
  const { driver } = queryRunner.connection;
  const schema = driver.options.type === 'postgres' ? (driver.options as { schema?: string }).schema : undefined;
  return schema ? `${driver.escape(schema)}.${driver.escape(table)}` : driver.escape(table);
}

export class RecordEvents1764720000000 implements MigrationInterface {
  name = 'RecordEvents1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'record_events',
        columns: [
          id,
          varchar('record_kind', 16),
          int('record_id'),
          int('actor_id', true),
          varchar('kind', 32),
          varchar('from_state', 20, true),
          varchar('to_state', 20, true),
          text('note', true),
          text('details', true),
          iso('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_record_events_record', columnNames: ['record_kind', 'record_id'] }),
          new TableIndex({ name: 'IDX_record_events_kind_time', columnNames: ['record_kind', 'kind', 'created_at'] }),
        ],
      }),
    );
    // Oldest first across the three tables (ISO times sort as text); within one table, ties keep
    // the old id order, so each record's timeline reads as before.
    const sources = LEGACY.map(
      (legacy, rank) =>
        `SELECT '${legacy.recordKind}' AS record_kind, ${legacy.column} AS record_id, ${EVENT_COLUMNS}, ${rank} AS source, id AS old_id FROM ${path(queryRunner, legacy.table)}`,
    );
    await queryRunner.query(
      `INSERT INTO ${path(queryRunner, 'record_events')} (record_kind, record_id, ${EVENT_COLUMNS}) ` +
        `SELECT record_kind, record_id, ${EVENT_COLUMNS} FROM (${sources.join(' UNION ALL ')}) AS legacy ORDER BY created_at, source, old_id`,
    );
    for (const legacy of LEGACY) await queryRunner.dropTable(legacy.table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const legacy of LEGACY) {
      await queryRunner.createTable(
        new Table({
          name: legacy.table,
          columns: [id, int(legacy.column), int('actor_id', true), varchar('kind', 32), varchar('from_state', 20, true), varchar('to_state', 20, true), text('note', true), iso('created_at')],
          indices: legacy.indices,
          foreignKeys: [
            new TableForeignKey({ name: legacy.foreignKey, columnNames: [legacy.column], referencedTableName: legacy.parent, referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
          ],
        }),
      );
      // Kinds added after this migration had no table before it; their events go with record_events, and
      // so do events of records deleted since (the old tables' foreign keys would refuse them).
      await queryRunner.query(
        `INSERT INTO ${path(queryRunner, legacy.table)} (${legacy.column}, ${EVENT_COLUMNS}) ` +
          `SELECT record_id, ${EVENT_COLUMNS} FROM ${path(queryRunner, 'record_events')} ` +
          `WHERE record_kind = '${legacy.recordKind}' AND record_id IN (SELECT id FROM ${path(queryRunner, legacy.parent)}) ORDER BY id`,
      );
    }
    await queryRunner.dropTable('record_events');
  }
}
