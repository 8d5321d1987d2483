import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { id, int, iso, personFk, text, varchar } from './columns.js';
import { SEARCH_SOURCES, bodyExpression } from '../src/search/documents.js';

// Configuration items (policy 2) with aliases, depends-on links and links from records; and the
// search index over faults, requests and changes (policy 3.3), kept up to date by triggers in the same
// transaction as the record. SQLite: an FTS5 table with the trigram tokenizer (substrings, so Chinese
// works without a word segmenter). PostgreSQL: a plain table with pg_trgm GIN indexes.

const ciFk = (name: string, column: string, onDelete: string) =>
  new TableForeignKey({ name, columnNames: [column], referencedTableName: 'configuration_items', referencedColumnNames: ['id'], onDelete });

/** On PostgreSQL with a configured schema every raw statement names it; TypeORM sets no search_path. */
function qualified(queryRunner: QueryRunner, name: string): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${name}"` : `"${name}"`;
}

/** The SQLite index as this migration builds it (also how a later migration's `down` restores it). */
export async function createSqliteSearch(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(
    `CREATE VIRTUAL TABLE record_search USING fts5(title, body, kind UNINDEXED, record_id UNINDEXED, created_at UNINDEXED, tokenize = 'trigram')`,
  );
  for (const source of SEARCH_SOURCES) {
    const rowid = (row: string) => `${row}.id * 4 + ${source.code}`;
    const insert = `INSERT INTO record_search (rowid, title, body, kind, record_id, created_at)
      VALUES (${rowid('NEW')}, NEW.${source.title}, ${bodyExpression(source, 'NEW', 'sqlite')}, '${source.kind}', NEW.id, NEW.created_at);`;
    await queryRunner.query(`CREATE TRIGGER record_search_${source.kind}_insert AFTER INSERT ON ${source.table} BEGIN ${insert} END`);
    await queryRunner.query(
      `CREATE TRIGGER record_search_${source.kind}_update AFTER UPDATE OF ${[source.title, ...source.body].join(', ')} ON ${source.table}
       BEGIN DELETE FROM record_search WHERE rowid = ${rowid('OLD')}; ${insert} END`,
    );
    await queryRunner.query(`CREATE TRIGGER record_search_${source.kind}_delete AFTER DELETE ON ${source.table} BEGIN DELETE FROM record_search WHERE rowid = ${rowid('OLD')}; END`);
    await queryRunner.query(
      `INSERT INTO record_search (rowid, title, body, kind, record_id, created_at)
       SELECT ${rowid('r')}, r.${source.title}, ${bodyExpression(source, 'r', 'sqlite')}, '${source.kind}', r.id, r.created_at FROM ${source.table} r`,
    );
  }
}

async function createPostgresSearch(queryRunner: QueryRunner): Promise<void> {
  // Several processes (or test schemas) may migrate at once; CREATE EXTENSION is not safe in parallel.
  await queryRunner.query('SELECT pg_advisory_xact_lock(7411002)');
  await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  const [ext] = (await queryRunner.query(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`)) as { schema: string }[];
  const ops = `${ext?.schema ?? 'public'}.gin_trgm_ops`;
  await queryRunner.createTable(
    new Table({
      name: 'record_search',
      columns: [
        { name: 'kind', type: 'varchar', length: '16', isPrimary: true },
        { name: 'record_id', type: 'integer', isPrimary: true },
        iso('created_at'),
        text('title'),
        text('body'),
      ],
    }),
  );
  const table = qualified(queryRunner, 'record_search');
  await queryRunner.query(`CREATE INDEX "IDX_record_search_title_trgm" ON ${table} USING gin (title ${ops})`);
  await queryRunner.query(`CREATE INDEX "IDX_record_search_body_trgm" ON ${table} USING gin (body ${ops})`);
  for (const source of SEARCH_SOURCES) {
    const fn = qualified(queryRunner, `record_search_${source.kind}`);
    await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          DELETE FROM ${table} WHERE kind = '${source.kind}' AND record_id = OLD.id;
          RETURN OLD;
        END IF;
        INSERT INTO ${table} (kind, record_id, created_at, title, body)
          VALUES ('${source.kind}', NEW.id, NEW.created_at, NEW.${source.title}, ${bodyExpression(source, 'NEW', 'postgres')})
          ON CONFLICT (kind, record_id) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER record_search_${source.kind} AFTER INSERT OR DELETE OR UPDATE OF ${[source.title, ...source.body].join(', ')}
       ON ${qualified(queryRunner, source.table)} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    );
    await queryRunner.query(
      `INSERT INTO ${table} (kind, record_id, created_at, title, body)
       SELECT '${source.kind}', r.id, r.created_at, r.${source.title}, ${bodyExpression(source, 'r', 'postgres')} FROM ${qualified(queryRunner, source.table)} r`,
    );
  }
}

export class ConfigurationItems1764892800000 implements MigrationInterface {
  name = 'ConfigurationItems1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'configuration_items',
        columns: [
          id,
          varchar('name', 100),
          varchar('name_key', 100),
          varchar('ci_type', 20),
          varchar('environment', 20),
          int('owner_id', true),
          int('criticality'),
          varchar('runbook_url', 500, true),
          text('notes', true),
          iso('created_at'),
          iso('updated_at'),
          int('version'),
        ],
        indices: [new TableIndex({ name: 'UQ_configuration_items_name_key', columnNames: ['name_key'], isUnique: true })],
        foreignKeys: [personFk('FK_configuration_items_owner', 'owner_id')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'configuration_item_aliases',
        columns: [id, int('ci_id'), varchar('alias', 100), varchar('alias_key', 100)],
        indices: [
          new TableIndex({ name: 'UQ_configuration_item_aliases_alias_key', columnNames: ['alias_key'], isUnique: true }),
          new TableIndex({ name: 'IDX_configuration_item_aliases_ci', columnNames: ['ci_id'] }),
        ],
        foreignKeys: [ciFk('FK_configuration_item_aliases_ci', 'ci_id', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'configuration_item_links',
        columns: [id, int('ci_id'), int('depends_on_id')],
        indices: [
          new TableIndex({ name: 'UQ_configuration_item_links_pair', columnNames: ['ci_id', 'depends_on_id'], isUnique: true }),
          new TableIndex({ name: 'IDX_configuration_item_links_depends_on', columnNames: ['depends_on_id'] }),
        ],
        foreignKeys: [ciFk('FK_configuration_item_links_ci', 'ci_id', 'CASCADE'), ciFk('FK_configuration_item_links_depends_on', 'depends_on_id', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'record_configuration_items',
        columns: [id, varchar('record_kind', 16), int('record_id'), int('ci_id')],
        indices: [
          new TableIndex({ name: 'UQ_record_configuration_items', columnNames: ['record_kind', 'record_id', 'ci_id'], isUnique: true }),
          new TableIndex({ name: 'IDX_record_configuration_items_ci', columnNames: ['ci_id'] }),
        ],
        foreignKeys: [ciFk('FK_record_configuration_items_ci', 'ci_id', 'NO ACTION')],
      }),
    );
    if (queryRunner.connection.options.type === 'postgres') await createPostgresSearch(queryRunner);
    else await createSqliteSearch(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      for (const source of SEARCH_SOURCES) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS record_search_${source.kind} ON ${qualified(queryRunner, source.table)}`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS ${qualified(queryRunner, `record_search_${source.kind}`)}()`);
      }
      await queryRunner.dropTable('record_search');
    } else {
      for (const source of SEARCH_SOURCES) {
        for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS record_search_${source.kind}_${op}`);
      }
      await queryRunner.query('DROP TABLE IF EXISTS record_search');
    }
    await queryRunner.dropTable('record_configuration_items');
    await queryRunner.dropTable('configuration_item_links');
    await queryRunner.dropTable('configuration_item_aliases');
    await queryRunner.dropTable('configuration_items');
  }
}
