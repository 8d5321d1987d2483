import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, iso, varchar } from './columns.js';

// One-time codes that link a person's Slack and Discord accounts (`/ops link`).

export class LinkCodes1764460800000 implements MigrationInterface {
  name = 'LinkCodes1764460800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'link_codes',
        columns: [
          id,
          varchar('code_hash', 64),
          { name: 'person_id', type: 'integer', isNullable: false },
          varchar('platform', 16),
          varchar('user_id', 64),
          iso('created_at'),
          iso('expires_at'),
          iso('used_at', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_link_codes_code_hash', columnNames: ['code_hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_link_codes_person', columnNames: ['person_id'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_link_codes_person',
            columnNames: ['person_id'],
            referencedTableName: 'people',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('link_codes');
  }
}
