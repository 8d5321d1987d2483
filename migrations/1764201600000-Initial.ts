import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, personFk, text, varchar } from './columns.js';

// Written with TypeORM's schema API so that the same migration runs on SQLite and PostgreSQL.

export class Initial1764201600000 implements MigrationInterface {
  name = 'Initial1764201600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'people', columns: [id, varchar('display_name', 120), varchar('locale', 10, true), iso('created_at')] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'identities',
        columns: [id, int('person_id'), varchar('platform', 16), varchar('user_id', 64), iso('created_at')],
        indices: [new TableIndex({ name: 'UQ_identities_platform_user', columnNames: ['platform', 'user_id'], isUnique: true })],
        foreignKeys: [personFk('FK_identities_person', 'person_id', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'role_grants',
        columns: [id, int('person_id'), varchar('role', 16), int('granted_by', true), iso('created_at')],
        indices: [new TableIndex({ name: 'UQ_role_grants_person_role', columnNames: ['person_id', 'role'], isUnique: true })],
        foreignKeys: [personFk('FK_role_grants_person', 'person_id', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'faults',
        columns: [
          id,
          varchar('title', 150),
          text('description'),
          varchar('category', 16),
          int('impact'),
          int('urgency'),
          varchar('priority', 2),
          varchar('state', 20),
          varchar('affected_system', 150, true),
          varchar('source', 16),
          int('reporter_id'),
          int('assignee_id', true),
          text('root_cause', true),
          text('resolution_steps', true),
          varchar('reporter_platform', 16),
          iso('acknowledged_at', true),
          iso('resolved_at', true),
          iso('closed_at', true),
          iso('created_at'),
          iso('updated_at'),
          int('version'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_faults_state', columnNames: ['state'] }),
          new TableIndex({ name: 'IDX_faults_reporter', columnNames: ['reporter_id'] }),
        ],
        foreignKeys: [personFk('FK_faults_reporter', 'reporter_id'), personFk('FK_faults_assignee', 'assignee_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'fault_events',
        columns: [
          id,
          int('fault_id'),
          int('actor_id', true),
          varchar('kind', 32),
          varchar('from_state', 20, true),
          varchar('to_state', 20, true),
          text('note', true),
          iso('created_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_fault_events_fault', columnNames: ['fault_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_fault_events_fault',
            columnNames: ['fault_id'],
            referencedTableName: 'faults',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'settings',
        columns: [{ name: 'key', type: 'varchar', length: '64', isPrimary: true }, text('value'), int('updated_by', true), iso('updated_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id,
          int('actor_id', true),
          varchar('actor_label', 160),
          varchar('action', 64),
          varchar('record_type', 32),
          varchar('record_id', 64),
          text('before', true),
          text('after', true),
          iso('created_at'),
          varchar('prev_hash', 64),
          varchar('hash', 64),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id,
          varchar('platform', 16),
          varchar('target_kind', 16),
          varchar('target_id', 64),
          varchar('message_key', 100, true),
          text('payload'),
          varchar('status', 16),
          { name: 'attempts', type: 'integer', default: 0 },
          iso('next_attempt_at'),
          text('last_error', true),
          iso('created_at'),
          iso('sent_at', true),
        ],
        indices: [new TableIndex({ name: 'IDX_outbox_due', columnNames: ['status', 'next_attempt_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'message_refs',
        columns: [
          id,
          varchar('message_key', 100),
          varchar('platform', 16),
          varchar('target_id', 64),
          varchar('channel_id', 64),
          varchar('message_id', 64),
          iso('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_message_refs_key_target', columnNames: ['message_key', 'platform', 'target_id'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          varchar('holder', 64),
          varchar('run_key', 64),
          iso('expires_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'job_leases',
      'message_refs',
      'outbox',
      'audit_log',
      'settings',
      'fault_events',
      'faults',
      'role_grants',
      'identities',
      'people',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
