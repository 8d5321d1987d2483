import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { SEARCH_KINDS, rowidCodeExpression, type SearchKind } from './documents.js';
import { Change, Fault, ServiceRequest } from '../store/entities/index.js';
import { hasRole } from '../people/roles.js';
import type { Actor } from '../people/actor.js';
import type { Store } from '../store/store.js';

/** Rows per page (UX.md: lists show at most 10 rows). */
export const SEARCH_PAGE_SIZE = 10;
/** The trigram index needs three characters; shorter words are matched by a scan (LIKE). */
const TRIGRAM = 3;
/** A title match counts this much more than a match in the other fields. */
const TITLE_WEIGHT = 10;
export const SEARCH_LIMITS = { text: 200, words: 8 } as const;
/**
 * Most matches ranked for one search: the latest created ones (by record number). Scoring a match
 * reads its row, so a word found in most of 1,000,000 faults would cost seconds (bench/results.md);
 * the window keeps every search within milliseconds, and 500 pages of results remain.
 */
export const SEARCH_WINDOW = 5000;

export interface SearchHit {
  kind: SearchKind;
  id: number;
  title: string;
  createdAt: Date;
  /** The record's state and priority (faults, requests) or risk (changes), for the result row. */
  state: string;
  rank: string;
}

export interface SearchPage {
  hits: SearchHit[];
  offset: number;
  /** True when a further page exists. */
  more: boolean;
}

interface Row {
  kind: SearchKind;
  record_id: number;
  title: string;
  created_at: string;
}

function words(text: string): string[] {
  return [...new Set(text.trim().toLowerCase().split(/\s+/).filter(Boolean))].slice(0, SEARCH_LIMITS.words);
}

const length = (word: string) => [...word].length;
/** The record_search columns in the order the migration declares them, as named in its content table. */
const CONTENT_COLUMNS: Record<string, string> = { title: 'c0', body: 'c1', notes: 'c2', kind: 'c3', record_id: 'c4' };
const asContentColumns = (condition: string) => condition.replace(/\b(title|body|notes|kind|record_id)\b/g, (column) => CONTENT_COLUMNS[column] ?? column);
const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The same rule as `/request show` (RequestQueries.detail): a service request is seen by its requester,
 * the person it is for, its assignee, and engineers. Faults and changes are readable by everyone who may
 * search. Null when the actor sees every request. `?` placeholders: the person id three times.
 */
function requestVisibility(actor: Actor | undefined): { sql: string; params: number[] } | null {
  if (!actor || hasRole(actor.roles, 'engineer')) return null;
  return {
    sql: "(kind <> 'request' OR record_id IN (SELECT id FROM service_requests WHERE requester_id = ? OR beneficiary_id = ? OR assignee_id = ?))",
    params: [actor.personId, actor.personId, actor.personId],
  };
}

/**
 * Search over faults, requests and changes (policy 3.3: records kept for lookup and audit): titles,
 * descriptions, root causes, resolution steps, fulfilment notes, the change fields and timeline notes
 * (record_events.note; a note counts like a match in the description). Every word must
 * match, as a substring anywhere (so Chinese needs no word segmenter: `打印机` finds `三楼打印机卡纸`).
 * Ranked (a title match first), newest first among equals, `SEARCH_PAGE_SIZE` per page.
 *
 * SQLite: FTS5 with the trigram tokenizer finds the rows; words shorter than three characters are
 * matched with LIKE on the same table. PostgreSQL: ILIKE served by pg_trgm GIN indexes. On both the
 * score is where the words occur (title ×10, other fields ×1). The index rows are written by triggers in the record's transaction.
 * When more than `window` records match, only the `window` latest created (highest record number,
 * SQLite rowid `record_id * 4 + code`) are ranked: FTS5 finds those in rowid order without reading
 * the rest.
 */
export class SearchService {
  constructor(
    private readonly store: Store,
    /** Most matches ranked (SEARCH_WINDOW; smaller in tests). */
    private readonly window = SEARCH_WINDOW,
  ) {}

  /**
   * `viewer`: the person searching; requests they may not open (`/request show` refuses them) are left
   * out. Omitted only by callers that act for no person (benchmarks, tests of ranking): then every
   * record is searched.
   */
  async search(text: string, kinds: readonly SearchKind[] = SEARCH_KINDS, offset = 0, viewer?: Actor): Promise<SearchPage> {
    const terms = words(text.slice(0, SEARCH_LIMITS.text));
    if (terms.length === 0) return { hits: [], offset, more: false };
    const visibility = requestVisibility(viewer);
    const rows = this.store.kind === 'postgres' ? await this.postgres(terms, kinds, offset, visibility) : await this.sqlite(terms, kinds, offset, visibility);
    const hits = await this.describe(this.store.manager, rows.slice(0, SEARCH_PAGE_SIZE));
    return { hits, offset, more: rows.length > SEARCH_PAGE_SIZE };
  }

  private async sqlite(terms: string[], kinds: readonly SearchKind[], offset: number, visibility: ReturnType<typeof requestVisibility>): Promise<Row[]> {
    const long = terms.filter((w) => length(w) >= TRIGRAM);
    const short = terms.filter((w) => length(w) < TRIGRAM);
    const where: string[] = [];
    const params: unknown[] = [];
    if (long.length > 0) {
      where.push('record_search MATCH ?');
      params.push(long.map((w) => `"${w.replace(/"/g, '""')}"`).join(' '));
    }
    for (const w of short) {
      where.push("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\')");
      params.push(likePattern(w), likePattern(w), likePattern(w));
    }
    if (kinds.length < SEARCH_KINDS.length) {
      where.push(`kind IN (${kinds.map(() => '?').join(', ')})`);
      params.push(...kinds);
    }
    if (visibility) {
      where.push(visibility.sql);
      params.push(...visibility.params);
    }
    // The same score as on PostgreSQL, so that both rank alike: each word found in the title counts
    // TITLE_WEIGHT, in the other fields 1. (bm25 would also weigh document length, which makes
    // "newest first among equals" rare and the order hard to explain.)
    const score = terms.map(
      () => `(CASE WHEN title LIKE ? ESCAPE '\\' THEN ${TITLE_WEIGHT} ELSE 0 END + CASE WHEN body LIKE ? ESCAPE '\\' OR notes LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END)`,
    );
    const scoreParams = terms.flatMap((w) => [likePattern(w), likePattern(w), likePattern(w)]);
    // The window first: FTS5 walks its matches in rowid order and stops after `window` of them. Without
    // a word the index can serve, the rows are scanned: FTS5's own content table (%_content, columns
    // c0.. in declaration order) scans several times faster than the same scan through the virtual table.
    const window =
      long.length > 0
        ? `SELECT rowid FROM record_search WHERE ${where.join(' AND ')} ORDER BY rowid DESC LIMIT ?`
        : `SELECT id FROM record_search_content WHERE ${where.map(asContentColumns).join(' AND ')} ORDER BY id DESC LIMIT ?`;
    return this.store.manager.query<Row[]>(
      `SELECT kind, record_id, title, created_at FROM record_search
       WHERE rowid IN (${window})
       ORDER BY ${score.join(' + ')} DESC, created_at DESC, rowid DESC LIMIT ? OFFSET ?`,
      [...params, this.window, ...scoreParams, SEARCH_PAGE_SIZE + 1, offset],
    );
  }

  private async postgres(terms: string[], kinds: readonly SearchKind[], offset: number, visibility: ReturnType<typeof requestVisibility>): Promise<Row[]> {
    const schema = (this.store.dataSource.options as { schema?: string }).schema;
    const table = schema ? `"${schema}".record_search` : 'record_search';
    const params: unknown[] = terms.map(likePattern);
    const match = terms.map((_, i) => `(title ILIKE $${i + 1} OR body ILIKE $${i + 1} OR notes ILIKE $${i + 1})`);
    const score = terms.map(
      (_, i) => `(CASE WHEN title ILIKE $${i + 1} THEN ${TITLE_WEIGHT} ELSE 0 END + CASE WHEN body ILIKE $${i + 1} OR notes ILIKE $${i + 1} THEN 1 ELSE 0 END)`,
    );
    if (kinds.length < SEARCH_KINDS.length) {
      match.push(`kind = ANY($${params.length + 1})`);
      params.push([...kinds]);
    }
    if (visibility) {
      let n = params.length;
      const schemaPrefix = schema ? `"${schema}".` : '';
      match.push(visibility.sql.replace('service_requests', `${schemaPrefix}service_requests`).replace(/\?/g, () => `$${++n}`));
      params.push(...visibility.params);
    }
    params.push(this.window, SEARCH_PAGE_SIZE + 1, offset);
    // The same window as on SQLite: the matches with the highest record_id * 4 + code.
    const order = `record_id * 4 + ${rowidCodeExpression('kind')}`;
    return this.store.manager.query<Row[]>(
      `SELECT kind, record_id, title, created_at FROM (
         SELECT kind, record_id, title, body, notes, created_at FROM ${table} WHERE ${match.join(' AND ')} ORDER BY ${order} DESC LIMIT $${params.length - 2}
       ) AS latest
       ORDER BY ${score.join(' + ')} DESC, created_at DESC, ${order} DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
  }

  /** Adds state and priority from the records themselves (ten rows at most). */
  private async describe(manager: EntityManager, rows: Row[]): Promise<SearchHit[]> {
    const ids = (kind: SearchKind) => rows.filter((r) => r.kind === kind).map((r) => Number(r.record_id));
    // One after another: on a transaction's manager these share one PostgreSQL connection, where
    // overlapping queries only queue (and pg 9 refuses them).
    const faults = ids('fault').length ? await manager.find(Fault, { where: { id: In(ids('fault')) } }) : [];
    const requests = ids('request').length ? await manager.find(ServiceRequest, { where: { id: In(ids('request')) } }) : [];
    const changes = ids('change').length ? await manager.find(Change, { where: { id: In(ids('change')) } }) : [];
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const id = Number(row.record_id);
      const base = { kind: row.kind, id, title: row.title, createdAt: new Date(row.created_at) };
      if (row.kind === 'fault') {
        const f = faults.find((x) => x.id === id);
        if (f) hits.push({ ...base, state: f.state, rank: f.priority });
      } else if (row.kind === 'request') {
        const r = requests.find((x) => x.id === id);
        if (r) hits.push({ ...base, state: r.state, rank: r.priority });
      } else {
        const c = changes.find((x) => x.id === id);
        if (c) hits.push({ ...base, state: c.state, rank: c.risk });
      }
    }
    return hits;
  }
}
