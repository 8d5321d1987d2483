import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

// The operations report counts records opened per week (src/reports/load-trend.ts): without an index
// on created_at that is a scan of every fault (0.8 s at 1,000,000 faults, bench/results.md).

const INDEXES = [
  { table: 'faults', index: new TableIndex({ name: 'IDX_faults_created', columnNames: ['created_at'] }) },
  { table: 'service_requests', index: new TableIndex({ name: 'IDX_service_requests_created', columnNames: ['created_at'] }) },
];

export class ReportIndexes1765238400000 implements MigrationInterface {
  name = 'ReportIndexes1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index } of INDEXES) await queryRunner.createIndex(table, index);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, index } of INDEXES) await queryRunner.dropIndex(table, index.name as string);
  }
}
