// What each record kind contributes to the search index: the title, and the text fields joined into
// one body. The migration's triggers are generated from this, so the index and the search agree.

export const SEARCH_KINDS = ['fault', 'request', 'change'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchSource {
  kind: SearchKind;
  table: string;
  /** Added to `record_id * 4` to make the SQLite rowid: one row per record, found without a scan. */
  code: number;
  title: string;
  /** Text columns searched besides the title (nullable ones are skipped when empty). */
  body: string[];
}

export const SEARCH_SOURCES: readonly SearchSource[] = [
  { kind: 'fault', table: 'faults', code: 1, title: 'title', body: ['description', 'root_cause', 'resolution_steps', 'affected_system'] },
  { kind: 'request', table: 'service_requests', code: 2, title: 'title', body: ['details', 'fulfilment'] },
  {
    kind: 'change',
    table: 'changes',
    code: 3,
    title: 'title',
    body: ['content', 'reason', 'expected_impact', 'test_plan', 'rollback_plan', 'config_items', 'outcome_note', 'review_note'],
  },
];

/** The SQL expression joining a row's body columns with newlines; `row` is `NEW` or a table alias. */
export function bodyExpression(source: SearchSource, row: string, database: 'sqlite' | 'postgres'): string {
  const newline = database === 'sqlite' ? 'char(10)' : 'chr(10)';
  return source.body.map((column) => `COALESCE(${row}.${column}, '')`).join(` || ${newline} || `);
}

/**
 * Timeline notes (`record_events.note`) are indexed too, in the index row's `notes` column: one line per
 * event with a note, oldest first (migration 1765324800000). The SQLite rowid of a record's index row
 * is `record_id * 4 + code`; this is that code for a `record_events.record_kind`, as SQL.
 */
export function rowidCodeExpression(recordKind: string): string {
  return `CASE ${recordKind} ${SEARCH_SOURCES.map((s) => `WHEN '${s.kind}' THEN ${s.code}`).join(' ')} END`;
}
