import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
const from = '2026-11-09T00:00:00.000Z', to = '2026-11-23T00:00:00.000Z';
const t = (name, f) => { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms', Array.isArray(r) ? r.length : JSON.stringify(r)); return r; };
const ids = db.prepare("SELECT record_id FROM record_events WHERE record_kind='fault' AND kind IN ('acknowledge','close','resolve') AND created_at >= ?").all(from);
const uniq = [...new Set(ids.map(r => r.record_id))].sort((a,b)=>a-b);
const json = JSON.stringify(uniq);
for (let i = 0; i < 3; i++) {
t('events full', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).all(json));
const rows = t('records+agg timeline', () => db.prepare(`SELECT id,title,priority,state,created_at,resolve_due_at,response_breached_at,resolve_breached_at,category,reporter_id,root_cause,affected_system,
  (SELECT group_concat(e.to_state || ' ' || coalesce(e.actor_id, '') || ' ' || e.created_at, ',' ORDER BY e.id) FROM record_events e WHERE e.record_kind = 'fault' AND e.record_id = r.id AND e.to_state IS NOT NULL AND (e.from_state IS NULL OR e.from_state <> e.to_state)) AS moves
  FROM faults r WHERE id IN (SELECT value FROM json_each(?)) AND created_at < ?`).all(json, to));
t('parse', () => { let n = 0; for (const r of rows) { if (!r.moves) continue; for (const m of r.moves.split(',')) { const [s, a, at] = m.split(' '); n += new Date(at).getTime() > 0 ? 1 : 0; } } return n; });
}
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT id,(SELECT group_concat(e.to_state || ' ' || coalesce(e.actor_id, '') || ' ' || e.created_at, ',' ORDER BY e.id) FROM record_events e WHERE e.record_kind = 'fault' AND e.record_id = r.id) AS moves FROM faults r WHERE id IN (SELECT value FROM json_each(?)) AND created_at < ?`).all(json, to).map(r=>r.detail));
