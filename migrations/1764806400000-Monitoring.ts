import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, text, varchar } from './columns.js';

// Monitoring intake (issue #11): which fault each alert group feeds, and the alerts listed on it.

const faultFk = (name: string): TableForeignKey =>
  new TableForeignKey({ name, columnNames: ['fault_id'], referencedTableName: 'faults', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class Monitoring1764806400000 implements MigrationInterface {
  name = 'Monitoring1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'alert_groups',
        columns: [
          id,
          int('fault_id'),
          varchar('source', 32),
          varchar('group_hash', 64),
          text('group_key'),
          int('current_slot', true),
          { ...int('truncated_alerts'), default: 0 },
          int('previous_fault_id', true),
          iso('card_due_at', true),
          iso('cleared_at', true),
          iso('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_alert_groups_current', columnNames: ['group_hash', 'current_slot'], isUnique: true }),
          new TableIndex({ name: 'UQ_alert_groups_fault', columnNames: ['fault_id'], isUnique: true }),
        ],
        foreignKeys: [faultFk('FK_alert_groups_fault')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'alerts',
        columns: [
          id,
          int('fault_id'),
          varchar('source', 32),
          varchar('fingerprint', 64),
          varchar('name', 200),
          varchar('status', 10),
          varchar('severity', 32, true),
          varchar('configuration_item', 200, true),
          varchar('summary', 300),
          text('labels'),
          iso('starts_at'),
          iso('ends_at', true),
          { ...int('fire_count'), default: 1 },
          iso('first_seen_at'),
          iso('changed_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_alerts_fault_fingerprint', columnNames: ['fault_id', 'fingerprint'], isUnique: true }),
          new TableIndex({ name: 'IDX_alerts_first_seen', columnNames: ['first_seen_at'] }),
        ],
        foreignKeys: [faultFk('FK_alerts_fault')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('alerts');
    await queryRunner.dropTable('alert_groups');
  }
}
