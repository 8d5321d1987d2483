import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { int, varchar } from './columns.js';

/**
 * The record an outbox message is about (`fault` 4, `change` 13...), so that a message that cannot be
 * delivered falls back to that record's channel and is noted on its timeline (issue #9).
 */
export class OutboxRecord1764766800000 implements MigrationInterface {
  name = 'OutboxRecord1764766800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('outbox', [new TableColumn(varchar('record_kind', 16, true)), new TableColumn(int('record_id', true))]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox', 'record_id');
    await queryRunner.dropColumn('outbox', 'record_kind');
  }
}
