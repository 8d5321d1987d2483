import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { iso, varchar } from './columns.js';

// Several dispatchers share the outbox: each row is claimed on its own (who, until when), and a
// platform's 429 pause is stored so that every replica honours it.

export class OutboxClaims1765152000000 implements MigrationInterface {
  name = 'OutboxClaims1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('outbox', [new TableColumn(varchar('claimed_by', 64, true)), new TableColumn(iso('claim_expires_at', true))]);
    await queryRunner.createTable(
      new Table({
        name: 'outbox_pauses',
        columns: [{ ...varchar('route', 64), isPrimary: true }, iso('paused_until')],
        indices: [new TableIndex({ name: 'IDX_outbox_pauses_until', columnNames: ['paused_until'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_pauses');
    await queryRunner.dropColumn('outbox', 'claim_expires_at');
    await queryRunner.dropColumn('outbox', 'claimed_by');
  }
}
