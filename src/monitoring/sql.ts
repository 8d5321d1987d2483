// The monitoring intake's hot path in plain SQL (issue #11, benchmark target 5,000 alerts/s): building
// each query through TypeORM's query builder cost more than running it (bench/results.md, profile).
// Every statement here is a fixed text with bound parameters, so SQLite prepares it once and PostgreSQL
// gets `$n` placeholders. Rows have the shapes of the
// entities in src/store/entities (alert.ts, alert-group.ts, record-event.ts): timestamps are ISO-8601
// UTC strings (src/store/columns.ts), `details` is JSON text. On SQLite the statements run directly on
// TypeORM's one better-sqlite3 connection, synchronously, inside the transaction the caller opened there
// (Store serialises this process's transactions): TypeORM's asynchronous query path cost more per
// statement than SQLite itself.
import type { Statement } from 'better-sqlite3';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { giveWay } from './give-way.js';
import type { IncomingAlert } from './normalize.js';
import type { FaultState } from '../faults/rules.js';
import { Alert, AlertGroup, Fault, RecordEvent } from '../store/entities/index.js';
import type { DatabaseKind } from '../store/data-source.js';
import { nativeSqlite, preparedStatement, qualifiedTable } from '../store/plain-sql.js';

/** SQLite binds at most 999 parameters per statement (PostgreSQL 65,535): rows per multi-row insert. */
const ALERT_ROWS_PER_INSERT = 60; // 14 columns
const EVENT_ROWS_PER_INSERT = 100; // 9 columns
const IN_CHUNK = 500;

/** What the intake reads of a stored alert to decide whether a notification changes it. */
export interface StoredAlert {
  id: number;
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: Date;
  /** The end the sender gave when it resolved (UTC), null while firing: a firing alert starting at or before it is a stale notification. */
  endsAt: Date | null;
  fireCount: number;
}

/** What the intake needs of a fault on its hot path; the whole entity is read only to draw a card or move it. */
export interface FaultHead {
  id: number;
  state: FaultState;
  resolvedAt: Date | null;
  assigneeId: number | null;
}

/** The columns a new or changed alert row gets. */
export interface AlertFields {
  status: IncomingAlert['status'];
  name: string;
  summary: string;
  severity: string | null;
  configurationItem: string | null;
  labels: string;
  startsAt: Date;
  endsAt: Date | null;
  changedAt: Date;
}

export interface NewAlertRow extends AlertFields {
  faultId: number;
  source: string;
  fingerprint: string;
  fireCount: number;
  firstSeenAt: Date;
}

/** One opsdesk-made timeline line on a fault (actor NULL, state unchanged), as FaultService.appendAlertEvents writes it. */
export interface AlertEventRow {
  kind: string;
  note: string;
  details: Record<string, string>;
  at: Date;
}

type Param = string | number | null;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
/** Stored timestamps are ISO strings; a driver that hands back a Date (none today) is taken as is. */
const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : v instanceof Date ? v : null);

/** `(?, ?, …)` repeated for `rows` rows of `columns` parameters. */
function valuesList(rows: number, columns: number): string {
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}

/**
 * Runs the intake's statements in the caller's transaction. Errors are the driver's (wrapped by
 * TypeORM in QueryFailedError), so a unique violation still reads as one to the intake's retry.
 */
export class IntakeSql {
  private readonly texts = new Map<string, string>();
  private tables: Record<'alerts' | 'alert_groups' | 'faults' | 'record_events', string> | undefined;

  constructor(
    private readonly kind: DatabaseKind,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The statement for this database: table names `{alerts}` qualified with the schema the entities
   * live in (a PostgreSQL schema other than the search path's, as the tests use), and `?` as `$1, $2, …`
   * on PostgreSQL. Cached by text.
   */
  private text(sql: string): string {
    let out = this.texts.get(sql);
    if (out === undefined) {
      const tables = (this.tables ??= {
        alerts: this.table(Alert),
        alert_groups: this.table(AlertGroup),
        faults: this.table(Fault),
        record_events: this.table(RecordEvent),
      });
      let n = 0;
      out = sql.replace(/\{(alerts|alert_groups|faults|record_events)\}/g, (_m, name: keyof typeof tables) => tables[name]);
      if (this.kind === 'postgres') out = out.replace(/\?/g, () => `$${++n}`);
      this.texts.set(sql, out);
    }
    return out;
  }

  /** The better-sqlite3 statement for `sql` on TypeORM's connection, prepared once. */
  private prepared(sql: string): Statement {
    return preparedStatement(this.dataSource, this.text(sql));
  }

  private table(entity: EntityTarget<ObjectLiteral>): string {
    return qualifiedTable(this.dataSource, entity);
  }

  /**
   * Rows of a SELECT and the number of rows a write changed. Throws when `manager` has no query runner
   * (it is not a transaction's), and what the driver throws (a unique violation keeps its SQLite code
   * or PostgreSQL 23505, which the intake's retry looks for).
   */
  private async run(manager: EntityManager, sql: string, params: Param[]): Promise<{ rows: Record<string, unknown>[]; affected: number }> {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('monitoring: IntakeSql runs inside a transaction');
    if (this.kind === 'sqlite') {
      const statement = this.prepared(sql);
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[], affected: 0 };
      return { rows: [], affected: statement.run(...params).changes };
    }
    const result = (await runner.query(this.text(sql), params, true)) as { records?: unknown[]; affected?: number };
    return { rows: (result.records ?? []) as Record<string, unknown>[], affected: result.affected ?? 0 };
  }

  /** The group's current fault link (current_slot 1), or undefined. */
  async currentGroup(manager: EntityManager, groupHash: string): Promise<AlertGroup | undefined> {
    const { rows } = await this.run(manager, CURRENT_GROUP, [groupHash]);
    const row = rows[0];
    return row ? groupFrom(row, groupHash) : undefined;
  }

  /**
   * SQLite only: the group's current fault link and its stored alerts among `fingerprints`, read with
   * two committed reads straight after one another (synchronous, no TypeORM query runner), so that a
   * repeated notification is answered without the cost of a use-case transaction. Another process may
   * commit between the two reads; the alerts then read are newer than the group row, still committed,
   * and a notification equal to them has been stored. Undefined on PostgreSQL, and while a transaction
   * of this process is open on the shared connection: its uncommitted rows must not count as stored.
   */
  peek(groupHash: string, fingerprints: readonly string[]): { group: AlertGroup | undefined; stored: Map<string, StoredAlert> } | undefined {
    if (this.kind !== 'sqlite' || fingerprints.length > IN_CHUNK) return undefined;
    if (nativeSqlite(this.dataSource).inTransaction) return undefined;
    const row = this.prepared(CURRENT_GROUP).get(groupHash) as Record<string, unknown> | undefined;
    const group = row ? groupFrom(row, groupHash) : undefined;
    const stored = new Map<string, StoredAlert>();
    if (group && fingerprints.length > 0) {
      const rows = this.prepared(storedAlertsSql(fingerprints.length)).all(group.faultId, ...fingerprints) as Record<string, unknown>[];
      for (const r of rows) stored.set(String(r.fingerprint), storedFrom(r));
    }
    return { group, stored };
  }

  /** The group row by id (for the card task), or undefined. */
  async groupById(manager: EntityManager, id: number): Promise<AlertGroup | undefined> {
    const { rows } = await this.run(
      manager,
      'SELECT id, fault_id, source, group_key, group_hash, current_slot, truncated_alerts, previous_fault_id, card_due_at, card_redraw_at, cleared_at, created_at FROM {alert_groups} WHERE id = ?',
      [id],
    );
    const row = rows[0];
    return row ? groupFrom(row, String(row.group_hash)) : undefined;
  }

  /** The fault's stored alerts among these fingerprints, by fingerprint; gives way to other requests between chunks (give-way.ts). */
  async storedAlerts(manager: EntityManager, faultId: number, fingerprints: readonly string[]): Promise<Map<string, StoredAlert>> {
    const found = new Map<string, StoredAlert>();
    for (let i = 0; i < fingerprints.length; i += IN_CHUNK) {
      if (i > 0) await giveWay();
      const chunk = fingerprints.slice(i, i + IN_CHUNK);
      const { rows } = await this.run(manager, storedAlertsSql(chunk.length), [faultId, ...chunk]);
      for (const r of rows) found.set(String(r.fingerprint), storedFrom(r));
    }
    return found;
  }

  async faultHead(manager: EntityManager, id: number): Promise<FaultHead | undefined> {
    const { rows } = await this.run(manager, 'SELECT id, state, resolved_at, assignee_id FROM {faults} WHERE id = ?', [id]);
    const r = rows[0];
    if (!r) return undefined;
    return { id: Number(r.id), state: String(r.state) as FaultState, resolvedAt: date(r.resolved_at), assigneeId: r.assignee_id === null ? null : Number(r.assignee_id) };
  }

  /** Inserts new alert rows, many per statement, without reading their ids back. */
  async insertAlerts(manager: EntityManager, rows: readonly NewAlertRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += ALERT_ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ALERT_ROWS_PER_INSERT);
      const params: Param[] = [];
      for (const a of chunk) {
        params.push(a.faultId, a.source, a.fingerprint, a.name, a.status, a.severity, a.configurationItem, a.summary, a.labels, iso(a.startsAt), iso(a.endsAt), a.fireCount, iso(a.firstSeenAt), iso(a.changedAt));
      }
      await this.run(
        manager,
        `INSERT INTO {alerts} (fault_id, source, fingerprint, name, status, severity, configuration_item, summary, labels, starts_at, ends_at, fire_count, first_seen_at, changed_at) VALUES ${valuesList(chunk.length, 14)}`,
        params,
      );
    }
  }

  async updateAlert(manager: EntityManager, id: number, fields: AlertFields, fireCount: number): Promise<void> {
    await this.run(
      manager,
      'UPDATE {alerts} SET status = ?, name = ?, summary = ?, severity = ?, configuration_item = ?, labels = ?, starts_at = ?, ends_at = ?, changed_at = ?, fire_count = ? WHERE id = ?',
      [fields.status, fields.name, fields.summary, fields.severity, fields.configurationItem, fields.labels, iso(fields.startsAt), iso(fields.endsAt), iso(fields.changedAt), fireCount, id],
    );
  }

  /** Appends opsdesk's own lines to a fault's timeline (record_events), in order, many per statement. */
  async insertFaultEvents(manager: EntityManager, faultId: number, events: readonly AlertEventRow[]): Promise<void> {
    for (let i = 0; i < events.length; i += EVENT_ROWS_PER_INSERT) {
      const chunk = events.slice(i, i + EVENT_ROWS_PER_INSERT);
      const params: Param[] = [];
      for (const e of chunk) params.push('fault', faultId, null, e.kind, null, null, e.note, JSON.stringify(e.details), iso(e.at));
      await this.run(manager, `INSERT INTO {record_events} (record_kind, record_id, actor_id, kind, from_state, to_state, note, details, created_at) VALUES ${valuesList(chunk.length, 9)}`, params);
    }
  }

  /** How many of a fault's alerts fire and how many have resolved. */
  async counts(manager: EntityManager, faultId: number): Promise<{ firing: number; resolved: number }> {
    const { rows } = await this.run(manager, 'SELECT status, COUNT(*) AS n FROM {alerts} WHERE fault_id = ? GROUP BY status', [faultId]);
    const of = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    return { firing: of('firing'), resolved: of('resolved') };
  }

  async setTruncated(manager: EntityManager, groupId: number, truncated: number): Promise<void> {
    await this.run(manager, 'UPDATE {alert_groups} SET truncated_alerts = ? WHERE id = ?', [truncated, groupId]);
  }

  async setCleared(manager: EntityManager, groupId: number, clearedAt: Date | null): Promise<void> {
    await this.run(manager, 'UPDATE {alert_groups} SET cleared_at = ? WHERE id = ?', [iso(clearedAt), groupId]);
  }

  /** Records when the card was last drawn or is next due (`dueAt`) and whether a redraw waits (`redrawAt`). */
  async setCard(manager: EntityManager, groupId: number, dueAt: Date, redrawAt: Date | null): Promise<void> {
    await this.run(manager, 'UPDATE {alert_groups} SET card_due_at = ?, card_redraw_at = ? WHERE id = ?', [iso(dueAt), iso(redrawAt), groupId]);
  }

  /**
   * Takes the group's pending redraw if it is due at `now`: true for exactly one caller across
   * processes (the row's own update decides), which then draws the card.
   */
  async claimRedraw(manager: EntityManager, groupId: number, now: Date): Promise<boolean> {
    const { affected } = await this.run(manager, 'UPDATE {alert_groups} SET card_redraw_at = NULL, card_due_at = ? WHERE id = ? AND card_redraw_at IS NOT NULL AND card_redraw_at <= ?', [
      iso(now),
      groupId,
      iso(now),
    ]);
    return affected === 1;
  }

  /** Groups whose card redraw is due at `now`, oldest first. */
  async dueRedraws(manager: EntityManager, now: Date, limit: number): Promise<number[]> {
    const { rows } = await this.run(manager, 'SELECT id FROM {alert_groups} WHERE card_redraw_at IS NOT NULL AND card_redraw_at <= ? ORDER BY card_redraw_at LIMIT ?', [iso(now), limit]);
    return rows.map((r) => Number(r.id));
  }
}

const CURRENT_GROUP =
  'SELECT id, fault_id, source, group_key, truncated_alerts, previous_fault_id, card_due_at, card_redraw_at, cleared_at, created_at FROM {alert_groups} WHERE group_hash = ? AND current_slot = 1';

/** The stored alerts of a fault among `count` fingerprints (parameters: fault id, then the fingerprints). */
function storedAlertsSql(count: number): string {
  return `SELECT id, fingerprint, status, starts_at, ends_at, fire_count FROM {alerts} WHERE fault_id = ? AND fingerprint IN (${Array.from({ length: count }, () => '?').join(', ')})`;
}

function storedFrom(r: Record<string, unknown>): StoredAlert {
  return { id: Number(r.id), fingerprint: String(r.fingerprint), status: r.status === 'resolved' ? 'resolved' : 'firing', startsAt: date(r.starts_at) ?? new Date(0), endsAt: date(r.ends_at), fireCount: Number(r.fire_count) };
}

function groupFrom(row: Record<string, unknown>, groupHash: string): AlertGroup {
  return Object.assign(new AlertGroup(), {
    id: Number(row.id),
    faultId: Number(row.fault_id),
    source: String(row.source),
    groupHash,
    groupKey: String(row.group_key),
    currentSlot: row.current_slot === undefined ? 1 : row.current_slot === null ? null : Number(row.current_slot),
    truncatedAlerts: Number(row.truncated_alerts),
    previousFaultId: row.previous_fault_id === null ? null : Number(row.previous_fault_id),
    cardDueAt: date(row.card_due_at),
    cardRedrawAt: date(row.card_redraw_at),
    clearedAt: date(row.cleared_at),
    createdAt: date(row.created_at) ?? new Date(0),
  });
}
