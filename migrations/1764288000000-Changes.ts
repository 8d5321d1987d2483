import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, personFk, text, varchar } from './columns.js';

// Change management (policy 4.2): changes, approvers' decisions, the timeline and sent notices.

const changeFk = (name: string) =>
  new TableForeignKey({ name, columnNames: ['change_id'], referencedTableName: 'changes', referencedColumnNames: ['id'], onDelete: 'CASCADE' });

export class Changes1764288000000 implements MigrationInterface {
  name = 'Changes1764288000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'changes',
        columns: [
          id,
          varchar('title', 150),
          text('content'),
          text('reason'),
          text('expected_impact'),
          varchar('risk', 8),
          varchar('type', 12),
          text('test_plan', true),
          text('rollback_plan', true),
          iso('window_start'),
          iso('window_end'),
          varchar('config_items', 500),
          varchar('state', 20),
          int('approvals_required'),
          int('manager_required'),
          int('requester_id'),
          varchar('requester_platform', 16),
          int('implementer_id'),
          iso('decided_at', true),
          iso('started_at', true),
          iso('ended_at', true),
          text('outcome_note', true),
          int('reviewed_by', true),
          iso('reviewed_at', true),
          text('review_note', true),
          iso('created_at'),
          iso('updated_at'),
          int('version'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_changes_state', columnNames: ['state'] }),
          new TableIndex({ name: 'IDX_changes_window', columnNames: ['window_start', 'window_end'] }),
        ],
        foreignKeys: [
          personFk('FK_changes_requester', 'requester_id'),
          personFk('FK_changes_implementer', 'implementer_id'),
          personFk('FK_changes_reviewer', 'reviewed_by'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'change_approvals',
        columns: [id, int('change_id'), int('approver_id'), varchar('decision', 10), int('as_manager'), text('comment', true), iso('created_at')],
        indices: [new TableIndex({ name: 'UQ_change_approvals_change_approver', columnNames: ['change_id', 'approver_id'], isUnique: true })],
        foreignKeys: [changeFk('FK_change_approvals_change'), personFk('FK_change_approvals_approver', 'approver_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'change_events',
        columns: [
          id,
          int('change_id'),
          int('actor_id', true),
          varchar('kind', 32),
          varchar('from_state', 20, true),
          varchar('to_state', 20, true),
          text('note', true),
          iso('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_change_events_change', columnNames: ['change_id'] }),
          new TableIndex({ name: 'IDX_change_events_kind', columnNames: ['kind'] }),
        ],
        foreignKeys: [changeFk('FK_change_events_change')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'change_notices',
        columns: [id, int('change_id'), int('person_id'), varchar('kind', 16), int('reminders'), iso('last_sent_at')],
        indices: [new TableIndex({ name: 'UQ_change_notices_change_person_kind', columnNames: ['change_id', 'person_id', 'kind'], isUnique: true })],
        foreignKeys: [changeFk('FK_change_notices_change'), personFk('FK_change_notices_person', 'person_id', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['change_notices', 'change_events', 'change_approvals', 'changes']) await queryRunner.dropTable(table);
  }
}
