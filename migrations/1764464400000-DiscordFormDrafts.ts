import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { iso } from './columns.js';

// Discord forms filled in over several steps (a modal of text inputs, then select menus).

export class DiscordFormDrafts1764464400000 implements MigrationInterface {
  name = 'DiscordFormDrafts1764464400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'discord_form_drafts',
        columns: [
          { name: 'id', type: 'varchar', length: '32', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '64', isNullable: false },
          { name: 'channel_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'form', type: 'text', isNullable: false },
          { name: 'field_values', type: 'text', isNullable: false },
          iso('created_at'),
          iso('expires_at'),
        ],
        indices: [new TableIndex({ name: 'IDX_discord_form_drafts_expires', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('discord_form_drafts');
  }
}
