import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { iso } from './columns.js';

// A monitoring fault reopened by an alert that fires again goes back to Reported and needs acknowledging
// anew (issue #11 item 7): its response clock starts again at the reopening, not at the fault's creation,
// so that it is not overdue the moment it reopens. NULL: the response clock runs from `created_at`.

export class FaultResponseRestart1765670400000 implements MigrationInterface {
  name = 'FaultResponseRestart1765670400000';

  // On SQLite, TypeORM's addColumn and dropColumn copy the table into a new one, which drops its
  // triggers: those that keep the search index current (1765324800000). ALTER TABLE keeps them.
  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await queryRunner.addColumn('faults', new TableColumn(iso('response_started_at', true)));
    else await queryRunner.query('ALTER TABLE "faults" ADD COLUMN "response_started_at" varchar(24) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await queryRunner.dropColumn('faults', 'response_started_at');
    else await queryRunner.query('ALTER TABLE "faults" DROP COLUMN "response_started_at"');
  }
}
