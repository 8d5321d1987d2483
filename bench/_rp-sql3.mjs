import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
const from = '2026-11-09T00:00:00.000Z', to = '2026-11-23T00:00:00.000Z';
const t = (name, f) => { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms', Array.isArray(r) ? r.length : JSON.stringify(r)); return r; };
const ids = db.prepare("SELECT record_id FROM record_events WHERE record_kind='fault' AND kind IN ('acknowledge','close','resolve') AND created_at >= ?").all(from);
const uniq = [...new Set(ids.map(r => r.record_id))].sort((a,b)=>a-b);
const json = JSON.stringify(uniq);
for (let i = 0; i < 3; i++) {
t('records json_each', () => db.prepare(`SELECT id,title,priority,state,created_at,resolve_due_at,response_breached_at,resolve_breached_at,category,reporter_id,root_cause,affected_system FROM faults WHERE id IN (SELECT value FROM json_each(?)) AND created_at < ?`).all(json, to));
t('events json_each', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).all(json));
t('events json_each raw', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).raw().all(json));
t('events IN chunks', () => { let n = 0; for (let i = 0; i < uniq.length; i += 5000) { const c = uniq.slice(i, i+5000); n += db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (${c.map(()=>'?').join(',')})`).all(...c).length; } return n; });
t('events count only json', () => db.prepare(`SELECT count(*) FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).get(json));
}
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).all(json));
