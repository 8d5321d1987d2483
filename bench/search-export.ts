// Search over 1,000,000 faults (p50 and p99 per query) and a chat export of 100,000 faults through the
// spool and the streamed Slack upload (time and peak memory), on SQLite with the real migrations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { ManualClock } from '../src/clock.js';
import { SEARCH_SOURCES, bodyExpression } from '../src/search/documents.js';
import { createServices } from '../src/services.js';
import { openDatabase } from '../src/store/data-source.js';
import { Store } from '../src/store/store.js';
import { measureChatExport, measureInMemoryExport } from './chat-export.js';

const NOW = new Date('2026-11-23T09:00:00.000Z');
const WORDS = ['printer', 'VPN', 'mail', 'switch', 'laptop', 'database', 'backup', 'Wi-Fi', '打印机', '卡纸', '网络', '服务器', 'disk', 'DNS', 'certificate'];
const QUERIES = ['printer', '打印机', 'certificate expired', 'VPN', 'zz', 'no-such-thing-anywhere'];
const RUNS = 30;

/**
 * Seeds `total` faults with prepared statements in one transaction. The search index's per-row trigger
 * is set aside meanwhile and the index is filled afterwards with one INSERT…SELECT of the same columns
 * the trigger writes (src/search/documents.ts), then the trigger is put back as it was: the same index
 * in a fraction of the time (1,000,000 faults through the trigger took far too long on this machine).
 */
export function seed(file: string, total: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'faults' AND name LIKE 'record_search_%_insert'").all() as { name: string; sql: string }[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  db.prepare("INSERT INTO people (display_name, locale, created_at) VALUES ('bench', NULL, ?)").run(NOW.toISOString());
  const insert = db.prepare(`INSERT INTO faults
    (title, description, category, impact, urgency, priority, state, affected_system, source, reporter_id, assignee_id,
     root_cause, resolution_steps, reporter_platform, acknowledged_at, resolved_at, closed_at, created_at, updated_at, version,
     response_due_at, resolve_due_at, sla_response_step, sla_resolve_step, next_reminder_at)
    VALUES (?, ?, 'network', 2, 2, 'P3', 'closed', NULL, 'chat', 1, NULL, ?, 'restarted the service', 'slack', ?, ?, ?, ?, ?, 1, ?, ?, 6, 3, NULL)`);
  db.transaction(() => {
    for (let i = 0; i < total; i++) {
      const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length] ?? 'x';
      // Older faults first, as a real history is written (record numbers grow with time).
      const created = new Date(NOW.getTime() - (total - i) * 60_000).toISOString();
      const later = new Date(NOW.getTime() - (total - i) * 60_000 + 3_600_000).toISOString();
      insert.run(`${w(0)} ${w(1)} problem ${i}`, `Users report ${w(2)} trouble on floor ${i % 12}`, i % 1000 === 0 ? 'certificate expired' : `${w(3)} fault`, later, later, later, created, created, later, later);
    }
    const faults = SEARCH_SOURCES.find((s) => s.kind === 'fault');
    if (!faults) throw new Error('no search source for faults');
    db.exec(`INSERT INTO record_search (rowid, title, body, notes, kind, record_id, created_at)
      SELECT f.id * 4 + ${faults.code}, f.${faults.title}, ${bodyExpression(faults, 'f', 'sqlite')}, '', 'fault', f.id, f.created_at FROM faults f`);
    for (const trigger of triggers) db.exec(trigger.sql);
  })();
  db.close();
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0;

/** Runs both measurements and returns the lines for the console and bench/results.md. */
export async function searchAndExport(searchTotal = 1_000_000, exportTotal = 100_000): Promise<string[]> {
  const lines: string[] = [];
  // The export at a fifth of the size too: memory that stays flat shows as the same figure for both.
  const runs = [[searchTotal, 'search'], [Math.round(exportTotal / 5), 'export'], [exportTotal, 'export']] as const;
  for (const [total, what] of runs) {
    if (total === 0) continue;
    const dir = mkdtempSync(join(tmpdir(), 'opsdesk-bench-'));
    const url = `sqlite:${join(dir, 'bench.db')}`;
    try {
      await (await openDatabase(url)).destroy();
      const seeded = performance.now();
      seed(join(dir, 'bench.db'), total);
      const seedS = (performance.now() - seeded) / 1000;
      const store = new Store(await openDatabase(url), url);
      const services = createServices({ store, clock: new ManualClock(NOW), timeZone: 'Asia/Shanghai', defaultLocale: 'en', bootstrapAdmins: ['slack:UADMIN'], channelDefaults: {} });
      if (what === 'search') {
        lines.push(`search over ${total.toLocaleString('en-US')} faults (SQLite FTS5 trigram; seeded in ${seedS.toFixed(0)} s, index filled in one statement), ${RUNS} runs per query:`);
        for (const query of QUERIES) {
          const times: number[] = [];
          let hits = 0;
          for (let r = 0; r < RUNS; r++) {
            const started = performance.now();
            hits = (await services.search.search(query, ['fault'])).hits.length;
            times.push(performance.now() - started);
          }
          lines.push(`  ${JSON.stringify(query).padEnd(26)} p50 ${percentile(times, 0.5).toFixed(1).padStart(7)} ms   p99 ${percentile(times, 0.99).toFixed(1).padStart(7)} ms   (${hits} on page 1)`);
        }
      } else {
        lines.push(await measureChatExport(services, store));
        lines.push(await measureInMemoryExport(services));
      }
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

if (process.argv[1]?.endsWith('search-export.ts')) {
  searchAndExport(Number(process.argv[2] ?? 1_000_000), Number(process.argv[3] ?? 100_000))
    .then((lines) => process.stdout.write(`${lines.join('\n')}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
