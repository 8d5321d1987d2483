import { Table, TableColumn, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { id, int, iso, varchar } from './columns.js';

// SLA clocks on faults, the log of SLA notices, and on-call rotations and overrides (issue 5).
// Written with TypeORM's schema API so that the same migration runs on SQLite and PostgreSQL.
const counter = (name: string): TableColumnOptions => ({ name, type: 'integer', default: 0 });

/** The SLA columns every record with service levels carries (src/store/entities/sla-tracked.ts). */
export function slaColumns(): TableColumnOptions[] {
  return [
    iso('response_due_at', true),
    iso('resolve_due_at', true),
    iso('response_breached_at', true),
    iso('resolve_breached_at', true),
    { name: 'sla_stops', type: 'text', isNullable: true },
    iso('sla_stopped_since', true),
    iso('sla_snoozed_until', true),
    counter('sla_response_step'),
    counter('sla_resolve_step'),
    iso('next_reminder_at', true),
  ];
}

export class SlaOnCall1764547200000 implements MigrationInterface {
  name = 'SlaOnCall1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(
      'faults',
      slaColumns().map((c) => new TableColumn(c)),
    );
    await queryRunner.createIndex('faults', new TableIndex({ name: 'IDX_faults_next_reminder', columnNames: ['next_reminder_at'] }));
    await queryRunner.createTable(
      new Table({
        name: 'sla_notices',
        columns: [
          id,
          varchar('record_type', 16),
          int('record_id'),
          varchar('target', 16),
          int('step'),
          varchar('kind', 16),
          varchar('recipient', 100),
          int('recipient_id', true),
          iso('due_at'),
          iso('sent_at'),
          counter('late'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_sla_notices_step', columnNames: ['record_type', 'record_id', 'target', 'step', 'recipient'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oncall_rotations',
        columns: [
          id,
          varchar('level', 16),
          { name: 'members', type: 'text' },
          int('handoff_weekday', true),
          int('handoff_minute'),
          int('length_days'),
          iso('anchor_at'),
          iso('announced_shift_at', true),
          int('updated_by', true),
          iso('updated_at'),
        ],
        indices: [new TableIndex({ name: 'UQ_oncall_rotations_level', columnNames: ['level'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oncall_overrides',
        columns: [id, varchar('level', 16), int('person_id'), iso('starts_at'), iso('ends_at'), counter('announced'), int('created_by', true), iso('created_at')],
        indices: [new TableIndex({ name: 'IDX_oncall_overrides_ends', columnNames: ['ends_at'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_oncall_overrides_person',
            columnNames: ['person_id'],
            referencedTableName: 'people',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oncall_overrides');
    await queryRunner.dropTable('oncall_rotations');
    await queryRunner.dropTable('sla_notices');
    await queryRunner.dropIndex('faults', 'IDX_faults_next_reminder');
    for (const column of slaColumns().reverse()) await queryRunner.dropColumn('faults', column.name);
  }
}
