import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createSqliteSearch } from './1764892800000-ConfigurationItems.js';
import { SEARCH_SOURCES, bodyExpression, rowidCodeExpression } from '../src/search/documents.js';

// Search covers timeline notes too (issue #12 item 3): the index row of a record gets a `notes` column,
// the notes of the record's timeline (record_events.note) oldest first, one per line (of opsdesk's own
// lines only the first SYSTEM_NOTES, see below). Triggers on
// record_events keep it in the transaction that writes the event; the existing rows are filled here.
// SQLite: FTS5 tables cannot gain a column, so the index is rebuilt with one (and its record triggers
// now UPDATE the row in place, so that a record's edit keeps its notes). PostgreSQL: a column with its
// own pg_trgm GIN index. `down` restores the index of migration 1764892800000.

const KINDS = SEARCH_SOURCES.map((s) => `'${s.kind}'`).join(', ');

/** On PostgreSQL with a configured schema every raw statement names it; TypeORM sets no search_path. */
function qualified(queryRunner: QueryRunner, name: string): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  return schema ? `"${schema}"."${name}"` : `"${name}"`;
}

/**
 * Of the notes opsdesk writes itself (no person acting: alert firing / resolved lines), only the first
 * SYSTEM_NOTES of a record are indexed; notes from people always are. Each new note re-indexes the
 * record's whole index row, so an alert storm of 500 lines on one fault made the intake quadratic
 * (3.4 s for 500 lines in one transaction, 7 s for the next 500); its first lines carry the alert's text.
 */
export const SYSTEM_NOTES = 20;

/** Whether the event `row` (NEW) is a note to index, by the rule above; `events` is the table. */
function indexedNote(events: string, row: string): string {
  const earlier = `SELECT 1 FROM ${events} e WHERE e.record_kind = ${row}.record_kind AND e.record_id = ${row}.record_id AND e.note <> '' LIMIT ${SYSTEM_NOTES + 1}`;
  return `${row}.note <> '' AND (${row}.actor_id IS NOT NULL OR (SELECT count(*) FROM (${earlier}) AS counted) <= ${SYSTEM_NOTES})`;
}

/** A record's indexed notes joined by newlines, oldest first ('' without any); `kind`, `id` are SQL expressions. */
function notesOf(database: 'sqlite' | 'postgres', events: string, kind: string, id: string): string {
  const numbered = `SELECT e.id, e.note, e.actor_id, ROW_NUMBER() OVER (ORDER BY e.id) AS n FROM ${events} e
    WHERE e.record_kind = ${kind} AND e.record_id = ${id} AND e.note <> ''`;
  const kept = `actor_id IS NOT NULL OR n <= ${SYSTEM_NOTES}`;
  return database === 'sqlite'
    ? `COALESCE((SELECT group_concat(note, char(10)) FROM (SELECT note FROM (${numbered}) WHERE ${kept} ORDER BY n)), '')`
    : `COALESCE((SELECT string_agg(note, chr(10) ORDER BY n) FROM (${numbered}) AS numbered WHERE ${kept}), '')`;
}

async function dropSqliteSearch(queryRunner: QueryRunner): Promise<void> {
  for (const source of SEARCH_SOURCES) {
    for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS record_search_${source.kind}_${op}`);
  }
  for (const op of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER IF EXISTS record_search_notes_${op}`);
  await queryRunner.query('DROP TABLE IF EXISTS record_search');
}

async function upSqlite(queryRunner: QueryRunner): Promise<void> {
  await dropSqliteSearch(queryRunner);
  await queryRunner.query(
    `CREATE VIRTUAL TABLE record_search USING fts5(title, body, notes, kind UNINDEXED, record_id UNINDEXED, created_at UNINDEXED, tokenize = 'trigram')`,
  );
  for (const source of SEARCH_SOURCES) {
    const rowid = (row: string) => `${row}.id * 4 + ${source.code}`;
    await queryRunner.query(
      `CREATE TRIGGER record_search_${source.kind}_insert AFTER INSERT ON ${source.table} BEGIN
         INSERT INTO record_search (rowid, title, body, notes, kind, record_id, created_at)
         VALUES (${rowid('NEW')}, NEW.${source.title}, ${bodyExpression(source, 'NEW', 'sqlite')}, '', '${source.kind}', NEW.id, NEW.created_at); END`,
    );
    await queryRunner.query(
      `CREATE TRIGGER record_search_${source.kind}_update AFTER UPDATE OF ${[source.title, ...source.body].join(', ')} ON ${source.table} BEGIN
         UPDATE record_search SET title = NEW.${source.title}, body = ${bodyExpression(source, 'NEW', 'sqlite')} WHERE rowid = ${rowid('NEW')}; END`,
    );
    await queryRunner.query(`CREATE TRIGGER record_search_${source.kind}_delete AFTER DELETE ON ${source.table} BEGIN DELETE FROM record_search WHERE rowid = ${rowid('OLD')}; END`);
    await queryRunner.query(
      `INSERT INTO record_search (rowid, title, body, notes, kind, record_id, created_at)
       SELECT ${rowid('r')}, r.${source.title}, ${bodyExpression(source, 'r', 'sqlite')}, ${notesOf('sqlite', 'record_events', `'${source.kind}'`, 'r.id')}, '${source.kind}', r.id, r.created_at
       FROM ${source.table} r`,
    );
  }
  const rowid = (row: string) => `${row}.record_id * 4 + ${rowidCodeExpression(`${row}.record_kind`)}`;
  // A new note is appended (an alert storm writes hundreds in one transaction); an edited or deleted
  // one makes the record's notes be read again from the timeline.
  await queryRunner.query(
    `CREATE TRIGGER record_search_notes_insert AFTER INSERT ON record_events WHEN NEW.record_kind IN (${KINDS}) AND ${indexedNote('record_events', 'NEW')} BEGIN
       UPDATE record_search SET notes = CASE WHEN COALESCE(notes, '') = '' THEN NEW.note ELSE notes || char(10) || NEW.note END WHERE rowid = ${rowid('NEW')}; END`,
  );
  const reread = (row: string) => `UPDATE record_search SET notes = ${notesOf('sqlite', 'record_events', `${row}.record_kind`, `${row}.record_id`)} WHERE rowid = ${rowid(row)};`;
  await queryRunner.query(
    `CREATE TRIGGER record_search_notes_update AFTER UPDATE OF note, record_kind, record_id ON record_events BEGIN ${reread('OLD')} ${reread('NEW')} END`,
  );
  await queryRunner.query(`CREATE TRIGGER record_search_notes_delete AFTER DELETE ON record_events WHEN OLD.note <> '' BEGIN ${reread('OLD')} END`);
}

async function upPostgres(queryRunner: QueryRunner): Promise<void> {
  const [ext] = (await queryRunner.query(`SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'`)) as { schema: string }[];
  const ops = `${ext?.schema ?? 'public'}.gin_trgm_ops`;
  const table = qualified(queryRunner, 'record_search');
  const events = qualified(queryRunner, 'record_events');
  await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN notes text NOT NULL DEFAULT ''`);
  await queryRunner.query(
    `UPDATE ${table} s SET notes = n.notes FROM
       (SELECT record_kind, record_id, string_agg(note, chr(10) ORDER BY id) AS notes FROM
         (SELECT e.*, ROW_NUMBER() OVER (PARTITION BY e.record_kind, e.record_id ORDER BY e.id) AS n FROM ${events} e WHERE e.note <> '') AS numbered
        WHERE actor_id IS NOT NULL OR n <= ${SYSTEM_NOTES} GROUP BY record_kind, record_id) n
     WHERE s.kind = n.record_kind AND s.record_id = n.record_id`,
  );
  await queryRunner.query(`CREATE INDEX "IDX_record_search_notes_trgm" ON ${table} USING gin (notes ${ops})`);
  const fn = qualified(queryRunner, 'record_search_notes');
  await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF ${indexedNote(events, 'NEW')} THEN
          UPDATE ${table} SET notes = CASE WHEN notes = '' THEN NEW.note ELSE notes || chr(10) || NEW.note END
            WHERE kind = NEW.record_kind AND record_id = NEW.record_id;
        END IF;
        RETURN NEW;
      END IF;
      UPDATE ${table} SET notes = ${notesOf('postgres', events, 'OLD.record_kind', 'OLD.record_id')} WHERE kind = OLD.record_kind AND record_id = OLD.record_id;
      IF TG_OP = 'UPDATE' THEN
        UPDATE ${table} SET notes = ${notesOf('postgres', events, 'NEW.record_kind', 'NEW.record_id')} WHERE kind = NEW.record_kind AND record_id = NEW.record_id;
        RETURN NEW;
      END IF;
      RETURN OLD;
    END $$`);
  await queryRunner.query(
    `CREATE TRIGGER record_search_notes AFTER INSERT OR DELETE OR UPDATE OF note, record_kind, record_id ON ${events} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
  );
}

export class SearchTimelineNotes1765324800000 implements MigrationInterface {
  name = 'SearchTimelineNotes1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') await upPostgres(queryRunner);
    else await upSqlite(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`DROP TRIGGER IF EXISTS record_search_notes ON ${qualified(queryRunner, 'record_events')}`);
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${qualified(queryRunner, 'record_search_notes')}()`);
      await queryRunner.query(`DROP INDEX IF EXISTS ${qualified(queryRunner, 'IDX_record_search_notes_trgm')}`);
      await queryRunner.query(`ALTER TABLE ${qualified(queryRunner, 'record_search')} DROP COLUMN notes`);
    } else {
      await dropSqliteSearch(queryRunner);
      await createSqliteSearch(queryRunner);
    }
  }
}
