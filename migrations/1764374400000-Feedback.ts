import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, personFk, text, varchar } from './columns.js';

// Feedback (policy 5.3): satisfaction surveys, anonymous polls and their ballots, suggestions.

export class Feedback1764374400000 implements MigrationInterface {
  name = 'Feedback1764374400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'feedback_surveys',
        columns: [
          id,
          varchar('record_type', 16),
          int('record_id'),
          varchar('record_title', 150),
          int('respondent_id'),
          int('resolver_id', true),
          varchar('platform', 16),
          int('rating', true),
          text('comment', true),
          iso('created_at'),
          iso('closes_at'),
          iso('rated_at', true),
          iso('closed_at', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_feedback_surveys_record', columnNames: ['record_type', 'record_id'], isUnique: true }),
          new TableIndex({ name: 'IDX_feedback_surveys_closes', columnNames: ['closed_at', 'closes_at'] }),
          new TableIndex({ name: 'IDX_feedback_surveys_created', columnNames: ['created_at'] }),
          new TableIndex({ name: 'IDX_feedback_surveys_resolver', columnNames: ['resolver_id'] }),
        ],
        foreignKeys: [personFk('FK_feedback_surveys_respondent', 'respondent_id'), personFk('FK_feedback_surveys_resolver', 'resolver_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'feedback_polls',
        columns: [
          id,
          varchar('question', 300),
          varchar('channel', 100),
          iso('slot', true),
          int('created_by', true),
          iso('posted_at'),
          iso('closes_at'),
          iso('closed_at', true),
          int('votes_1', true),
          int('votes_2', true),
          int('votes_3', true),
          int('votes_4', true),
          int('votes_5', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_feedback_polls_slot', columnNames: ['slot'], isUnique: true }),
          new TableIndex({ name: 'IDX_feedback_polls_due', columnNames: ['closed_at', 'closes_at'] }),
        ],
        foreignKeys: [personFk('FK_feedback_polls_created_by', 'created_by')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'feedback_ballots',
        columns: [
          { name: 'poll_id', type: 'integer', isPrimary: true },
          { name: 'voter_key', type: 'varchar', length: '64', isPrimary: true },
          int('choice'),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_feedback_ballots_poll',
            columnNames: ['poll_id'],
            referencedTableName: 'feedback_polls',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'feedback_suggestions',
        columns: [
          id,
          varchar('topic', 16),
          text('text'),
          int('author_id', true),
          varchar('platform', 16, true),
          iso('created_at'),
          text('reply', true),
          int('replied_by', true),
          iso('replied_at', true),
        ],
        indices: [new TableIndex({ name: 'IDX_feedback_suggestions_created', columnNames: ['created_at'] })],
        foreignKeys: [personFk('FK_feedback_suggestions_author', 'author_id'), personFk('FK_feedback_suggestions_replied_by', 'replied_by')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['feedback_suggestions', 'feedback_ballots', 'feedback_polls', 'feedback_surveys']) {
      await queryRunner.dropTable(table);
    }
  }
}
