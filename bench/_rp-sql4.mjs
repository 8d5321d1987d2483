import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
const from = '2026-11-09T00:00:00.000Z', to = '2026-11-23T00:00:00.000Z';
const t = (name, f) => { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms', Array.isArray(r) ? r.length : JSON.stringify(r)); return r; };
const ids = db.prepare("SELECT record_id FROM record_events WHERE record_kind='fault' AND kind IN ('acknowledge','close','resolve') AND created_at >= ?").all(from);
const uniq = [...new Set(ids.map(r => r.record_id))].sort((a,b)=>a-b);
const json = JSON.stringify(uniq);
for (let i = 0; i < 3; i++) {
t('events table lookup no conversion', () => db.prepare(`SELECT max(created_at), max(note), max(to_state) FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).get(json));
t('events full', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).all(json));
t('events minimal raw', () => db.prepare(`SELECT record_id,actor_id,to_state,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (SELECT value FROM json_each(?))`).raw().all(json));
t('records lookup no conversion', () => db.prepare(`SELECT max(title), max(created_at) FROM faults WHERE id IN (SELECT value FROM json_each(?)) AND created_at < ?`).get(json, to));
}
