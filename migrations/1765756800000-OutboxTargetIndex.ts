import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// The outbox claim leaves out a row while an earlier pending row of its conversation is claimed by
// another holder (src/outbox/sql.ts, notBehindOthers): a lookup by (platform, target_id) among the
// pending rows for every candidate row. Without an index it scanned every pending row for each
// candidate, which grows with a backlog (a platform outage, an alert storm).

export class OutboxTargetIndex1765756800000 implements MigrationInterface {
  name = 'OutboxTargetIndex1765756800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('outbox', new TableIndex({ name: 'IDX_outbox_target', columnNames: ['platform', 'target_id', 'status', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'IDX_outbox_target');
  }
}
