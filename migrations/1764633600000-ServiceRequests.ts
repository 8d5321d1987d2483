import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { slaColumns } from './1764547200000-SlaOnCall.js';
import { id, int, iso, personFk, text, varchar } from './columns.js';

// Service requests (policy 4.3) with the same SLA columns as faults, and their timeline.

export class ServiceRequests1764633600000 implements MigrationInterface {
  name = 'ServiceRequests1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'service_requests',
        columns: [
          id,
          varchar('title', 150),
          text('details', true),
          varchar('request_type', 32),
          int('importance'),
          int('urgency'),
          varchar('priority', 2),
          varchar('state', 20),
          int('requester_id'),
          varchar('requester_platform', 16),
          int('beneficiary_id', true),
          int('assignee_id', true),
          text('fulfilment', true),
          iso('assigned_at', true),
          iso('fulfilled_at', true),
          iso('closed_at', true),
          iso('created_at'),
          iso('updated_at'),
          int('version'),
          ...slaColumns(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_service_requests_state', columnNames: ['state'] }),
          new TableIndex({ name: 'IDX_service_requests_requester', columnNames: ['requester_id'] }),
          new TableIndex({ name: 'IDX_service_requests_next_reminder', columnNames: ['next_reminder_at'] }),
        ],
        foreignKeys: [
          personFk('FK_service_requests_requester', 'requester_id'),
          personFk('FK_service_requests_beneficiary', 'beneficiary_id'),
          personFk('FK_service_requests_assignee', 'assignee_id'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'service_request_events',
        columns: [id, int('request_id'), int('actor_id', true), varchar('kind', 32), varchar('from_state', 20, true), varchar('to_state', 20, true), text('note', true), iso('created_at')],
        indices: [new TableIndex({ name: 'IDX_service_request_events_request', columnNames: ['request_id'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_service_request_events_request',
            columnNames: ['request_id'],
            referencedTableName: 'service_requests',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('service_request_events');
    await queryRunner.dropTable('service_requests');
  }
}
