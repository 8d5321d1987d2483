import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, personFk, varchar } from './columns.js';

// The personal overview: who has opened the Slack App Home (only they get it republished), and the
// Events API deliveries already applied (Slack retries and Socket Mode may deliver twice).

export class AppHome1764979200000 implements MigrationInterface {
  name = 'AppHome1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'home_views',
        columns: [id, varchar('platform', 16), varchar('user_id', 64), int('person_id'), iso('first_opened_at'), iso('last_opened_at'), iso('refresh_due_at', true)],
        indices: [
          new TableIndex({ name: 'UQ_home_views_platform_user', columnNames: ['platform', 'user_id'], isUnique: true }),
          new TableIndex({ name: 'IDX_home_views_person', columnNames: ['person_id'] }),
        ],
        foreignKeys: [personFk('FK_home_views_person', 'person_id', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'processed_events',
        columns: [{ name: 'event_id', type: 'varchar', length: '100', isPrimary: true }, varchar('platform', 16), iso('received_at')],
        indices: [new TableIndex({ name: 'IDX_processed_events_received', columnNames: ['received_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('processed_events');
    await queryRunner.dropTable('home_views');
  }
}
