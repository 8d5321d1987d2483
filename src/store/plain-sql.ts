// Fixed-text SQL for the record kernel's hot path (issue #15 item 4: a click that changes a record).
// TypeORM builds every query afresh and, on SQLite, writes numbers into the SQL text, so `WHERE id = 17`
// is a new statement to prepare for every record: building and preparing cost more than SQLite's own
// work (bench/results.md, "Slack clicks", profiles). Here each statement is one text per entity and
// column list, with every value bound: SQLite prepares it once (kept per connection), PostgreSQL gets
// `$n` placeholders and schema-qualified table names. Values go through TypeORM's own column
// conversion (transformers: ISO timestamps, JSON text), so rows read and written here are the rows
// TypeORM reads and writes. On SQLite a statement runs synchronously on TypeORM's one better-sqlite3
// connection, so inside whatever transaction is open there (Store serialises this process's
// transactions); on PostgreSQL it runs on the manager's query runner (the transaction's).
import type { Database, Statement } from 'better-sqlite3';
import type { DataSource, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/** A value bound to a statement. */
export type SqlParam = string | number | bigint | null;

/** What a statement returned: rows of a SELECT (or RETURNING), rows changed by a write. */
export interface SqlResult {
  rows: Record<string, unknown>[];
  affected: number;
}

const statements = new WeakMap<Database, Map<string, Statement>>();
const instances = new WeakMap<DataSource, PlainSql>();

/**
 * TypeORM's one native better-sqlite3 connection of a SQLite data source (AbstractSqliteDriver keeps
 * it as `databaseConnection`). Throws when the data source has none (PostgreSQL, or not initialised).
 */
export function nativeSqlite(dataSource: DataSource): Database {
  const driver = dataSource.driver;
  if (!('databaseConnection' in driver) || driver.databaseConnection === undefined) throw new Error('plain SQL: the SQLite driver has no connection');
  return driver.databaseConnection as Database;
}

/** The better-sqlite3 statement for `sql` on the data source's native connection, prepared once per connection. */
export function preparedStatement(dataSource: DataSource, sql: string): Statement {
  const db = nativeSqlite(dataSource);
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

/** `"schema"."table"` of an entity on PostgreSQL with a schema, else `"table"`. */
export function qualifiedTable(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>): string {
  const metadata = dataSource.getMetadata(entity);
  return metadata.schema ? `"${metadata.schema}"."${metadata.tableName}"` : `"${metadata.tableName}"`;
}

/** The plain-SQL runner of one data source; shapes of entities are read from TypeORM's metadata. */
export class PlainSql {
  private readonly texts = new Map<string, string>();
  private readonly byId = new Map<EntityMetadata, { sql: string; columns: ColumnMetadata[] }>();
  private readonly postgres: boolean;

  private constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
  }

  /** The runner of the manager's data source (one per data source, created on first use). */
  static of(manager: EntityManager): PlainSql {
    const dataSource = manager.connection;
    let sql = instances.get(dataSource);
    if (sql === undefined) {
      sql = new PlainSql(dataSource);
      instances.set(dataSource, sql);
    }
    return sql;
  }

  /** `"schema"."table"` on PostgreSQL with a schema, else `"table"`. */
  table(entity: EntityTarget<ObjectLiteral>): string {
    return qualifiedTable(this.dataSource, entity);
  }

  /**
   * Runs `sql` (written with `?` placeholders) with `params`. SELECTs and statements with RETURNING
   * give rows. Throws what the driver throws (on SQLite better-sqlite3's SqliteError, as is).
   */
  async run(manager: EntityManager, sql: string, params: readonly SqlParam[]): Promise<SqlResult> {
    if (!this.postgres) {
      const statement = this.prepared(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[], affected: 0 };
      return { rows: [], affected: statement.run(...params).changes };
    }
    const text = this.text(sql);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = (await runner.query(text, [...params], true)) as { records?: unknown[]; affected?: number };
      return { rows: (result.records ?? []) as Record<string, unknown>[], affected: result.affected ?? 0 };
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
    }
  }

  /** The entity of this id as `findOne({ where: { id } })` would build it (columns only), or null. */
  async findById<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, id: number): Promise<E | null> {
    const metadata = this.dataSource.getMetadata(entity);
    // The text and columns once per entity: every click reads its record by id, some twice.
    let byId = this.byId.get(metadata);
    if (byId === undefined) {
      const columns = readable(metadata);
      const list = columns.map((c) => `"${c.databaseName}"`).join(', ');
      byId = { sql: `SELECT ${list} FROM ${this.table(entity)} WHERE "id" = ?`, columns };
      this.byId.set(metadata, byId);
    }
    const { rows } = await this.run(manager, byId.sql, [id]);
    const row = rows[0];
    return row === undefined ? null : this.hydrate<E>(metadata, byId.columns, row);
  }

  /**
   * Only `properties` of the entity of this id, or null: for a caller that needs a few columns of a
   * wide row (the SLA fields of a fault, its reporter and assignee) on a hot path.
   */
  async findPartById<E extends ObjectLiteral, K extends keyof E & string>(manager: EntityManager, entity: EntityTarget<E>, id: number, properties: readonly K[]): Promise<Pick<E, K> | null> {
    const metadata = this.dataSource.getMetadata(entity);
    const columns = properties.map((p) => column(metadata, p));
    const list = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const { rows } = await this.run(manager, `SELECT ${list} FROM ${this.table(entity)} WHERE "id" = ?`, [id]);
    const row = rows[0];
    return row === undefined ? null : this.hydrate<E>(metadata, columns, row);
  }

  /**
   * The entities matching `where` (entity properties; a null reads IS NULL, an array is an IN list,
   * an empty one matches nothing), as `find({ where, order: { [orderBy]: 'ASC' } })` would build them
   * (columns only). IN lists are padded to a power of two with their last value, so that the texts to
   * prepare stay few whatever the list's length. Throws on a property the entity does not have.
   */
  async find<E extends ObjectLiteral>(
    manager: EntityManager,
    entity: EntityTarget<E>,
    where: { [P in keyof E]?: E[P] | readonly E[P][] } = {},
    orderBy?: keyof E & string,
  ): Promise<E[]> {
    const metadata = this.dataSource.getMetadata(entity);
    const columns = readable(metadata);
    const tests: string[] = [];
    const params: SqlParam[] = [];
    for (const property of Object.keys(where)) {
      const c = column(metadata, property);
      const value: unknown = where[property];
      if (Array.isArray(value)) {
        const list: unknown[] = value;
        if (list.length === 0) return [];
        let size = 1;
        while (size < list.length) size *= 2;
        for (let i = 0; i < size; i++) params.push(this.persistent(c, list[Math.min(i, list.length - 1)]));
        tests.push(`"${c.databaseName}" IN (${Array.from({ length: size }, () => '?').join(', ')})`);
        continue;
      }
      const stored = this.persistent(c, value);
      if (stored === null) tests.push(`"${c.databaseName}" IS NULL`);
      else {
        tests.push(`"${c.databaseName}" = ?`);
        params.push(stored);
      }
    }
    const list = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const order = orderBy === undefined ? '' : ` ORDER BY "${column(metadata, orderBy).databaseName}" ASC`;
    const sql = `SELECT ${list} FROM ${this.table(entity)}${tests.length > 0 ? ` WHERE ${tests.join(' AND ')}` : ''}${order}`;
    const { rows } = await this.run(manager, sql, params);
    return rows.map((row) => this.hydrate<E>(metadata, columns, row));
  }

  /**
   * The entities of `SELECT <every column> FROM <entity's table> <clause>`, hydrated as `find` would
   * build them. `clause` (WHERE, ORDER BY, LIMIT, with `?` placeholders for `params`) is SQL the
   * caller writes with the columns' database names; never put input in it, bind it. For read paths
   * that TypeORM's query builder made expensive (`/fault list`, issue #15 item 4).
   */
  async select<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, clause: string, params: readonly SqlParam[]): Promise<E[]> {
    const metadata = this.dataSource.getMetadata(entity);
    const columns = readable(metadata);
    const list = columns.map((c) => `"${c.databaseName}"`).join(', ');
    const { rows } = await this.run(manager, `SELECT ${list} FROM ${this.table(entity)} ${clause}`, params);
    return rows.map((row) => this.hydrate<E>(metadata, columns, row));
  }

  /**
   * `UPDATE … SET <values> WHERE <where>` (each an object of entity properties; a null in `where`
   * reads IS NULL) and the number of rows changed. Unlike TypeORM's update it never adds the version
   * bump itself: a caller that versions sets `version` in `values`. Throws on a property the entity
   * does not have.
   */
  async update<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, where: Partial<E>, values: Partial<E>): Promise<number> {
    const metadata = this.dataSource.getMetadata(entity);
    // Like TypeORM's update, a property given as undefined is left as it is.
    const set = Object.keys(values)
      .filter((p) => values[p] !== undefined)
      .map((p) => column(metadata, p));
    const conditions = Object.keys(where).map((p) => column(metadata, p));
    const params: SqlParam[] = set.map((c) => this.persistent(c, values[c.propertyName as keyof E]));
    const tests: string[] = [];
    for (const c of conditions) {
      const value = this.persistent(c, where[c.propertyName as keyof E]);
      if (value === null) tests.push(`"${c.databaseName}" IS NULL`);
      else {
        tests.push(`"${c.databaseName}" = ?`);
        params.push(value);
      }
    }
    const sql = `UPDATE ${this.table(entity)} SET ${set.map((c) => `"${c.databaseName}" = ?`).join(', ')} WHERE ${tests.join(' AND ')}`;
    return (await this.run(manager, sql, params)).affected;
  }

  /**
   * Inserts one row with exactly these properties and returns the generated id (the entity's
   * `id` column). Throws on a property the entity does not have.
   */
  async insert<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, values: Partial<E>): Promise<number> {
    const metadata = this.dataSource.getMetadata(entity);
    const columns = Object.keys(values)
      .filter((p) => values[p] !== undefined)
      .map((p) => column(metadata, p));
    const params = columns.map((c) => this.persistent(c, values[c.propertyName as keyof E]));
    const sql = `INSERT INTO ${this.table(entity)} (${columns.map((c) => `"${c.databaseName}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) RETURNING "id"`;
    const { rows } = await this.run(manager, sql, params);
    return Number(rows[0]?.id);
  }

  /** `?` as `$1, $2, …` on PostgreSQL; cached by text. */
  private text(sql: string): string {
    if (!this.postgres) return sql;
    let out = this.texts.get(sql);
    if (out === undefined) {
      let n = 0;
      out = sql.replace(/\?/g, () => `$${++n}`);
      this.texts.set(sql, out);
    }
    return out;
  }

  private prepared(sql: string): Statement {
    return preparedStatement(this.dataSource, sql);
  }

  /** A property's value as the database stores it (the column's transformer, then the driver's conversion). */
  private persistent(c: ColumnMetadata, value: unknown): SqlParam {
    const stored: unknown = this.dataSource.driver.preparePersistentValue(value, c);
    if (stored === undefined || stored === null) return null;
    if (typeof stored === 'boolean') return stored ? 1 : 0;
    if (typeof stored === 'string' || typeof stored === 'number' || typeof stored === 'bigint') return stored;
    if (stored instanceof Date) return stored.toISOString();
    throw new Error(`plain SQL: column ${c.databaseName} got a ${typeof stored}`);
  }

  private hydrate<E extends ObjectLiteral>(metadata: EntityMetadata, columns: readonly ColumnMetadata[], row: Record<string, unknown>): E {
    const entity = metadata.create(undefined, { fromDeserializer: true }) as E;
    for (const c of columns) {
      const value = row[c.databaseName];
      if (value !== undefined) c.setEntityValue(entity, this.dataSource.driver.prepareHydratedValue(value, c));
    }
    return entity;
  }
}

/** The columns TypeORM's find selects and hydrates (its RawSqlResultsToEntityTransformer's choice). */
function readable(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((c) => !c.isVirtual && c.isSelect);
}

function column(metadata: EntityMetadata, property: string): ColumnMetadata {
  const found = metadata.findColumnWithPropertyName(property);
  if (found === undefined || found.isVirtual) throw new Error(`plain SQL: ${metadata.name} has no column for property ${property}`);
  return found;
}
