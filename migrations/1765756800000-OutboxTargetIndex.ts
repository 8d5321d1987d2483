import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// The outbox claim leaves out a row while an earlier pending row of its conversation is claimed by
// another holder until after now (src/outbox/sql.ts, notBehindOthers), a lookup for every candidate
// row. Indexed by (platform, target_id, status, claim_expires_at) it reads only the conversation's
// rows under a live claim (at most a batch); by id it read every earlier pending row of the
// conversation, quadratic in a backlog (seeded cards of the Slack bench: 29 s to post 4,400 rows
// instead of 4 s).

export class OutboxTargetIndex1765756800000 implements MigrationInterface {
  name = 'OutboxTargetIndex1765756800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('outbox', new TableIndex({ name: 'IDX_outbox_target', columnNames: ['platform', 'target_id', 'status', 'claim_expires_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox', 'IDX_outbox_target');
  }
}
