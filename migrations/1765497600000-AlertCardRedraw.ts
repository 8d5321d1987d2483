import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { iso } from './columns.js';

// A monitoring fault's coalesced card edit is drawn once, when it falls due (issue #11 item 6), instead
// of on every alert that changes it: `card_redraw_at` marks a group whose card waits to be drawn, and the
// index lets the card task find the due ones without a scan.

export class AlertCardRedraw1765497600000 implements MigrationInterface {
  name = 'AlertCardRedraw1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('alert_groups', new TableColumn(iso('card_redraw_at', true)));
    await queryRunner.createIndex('alert_groups', new TableIndex({ name: 'IDX_alert_groups_redraw', columnNames: ['card_redraw_at'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('alert_groups', 'IDX_alert_groups_redraw');
    await queryRunner.dropColumn('alert_groups', 'card_redraw_at');
  }
}
