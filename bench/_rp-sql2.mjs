import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
const from = '2026-11-09T00:00:00.000Z', to = '2026-11-23T00:00:00.000Z';
const t = (name, f) => { const s = performance.now(); const r = f(); console.log(name, (performance.now() - s).toFixed(1), 'ms', Array.isArray(r) ? r.length : JSON.stringify(r)); return r; };
const sub = "SELECT record_id FROM record_events WHERE record_kind='fault' AND kind IN ('acknowledge','close','resolve') AND created_at >= @from UNION SELECT id FROM faults INDEXED BY IDX_faults_state WHERE state IN ('reported','acknowledged','in_progress','waiting_on_user','resolved') AND created_at < @to";
for (let i = 0; i < 2; i++) {
t('records via subquery', () => db.prepare(`SELECT id,title,priority,state,created_at,resolve_due_at,response_breached_at,resolve_breached_at,category,reporter_id,root_cause,affected_system FROM faults WHERE id IN (${sub}) AND created_at < @to`).all({from, to}));
t('events via subquery', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (${sub})`).all({from, to}));
t('events via subquery raw', () => db.prepare(`SELECT id,record_id,actor_id,kind,from_state,to_state,note,created_at FROM record_events WHERE record_kind='fault' AND record_id IN (${sub})`).raw().all({from, to}));
t('events join', () => db.prepare(`SELECT e.id,e.record_id,e.actor_id,e.kind,e.from_state,e.to_state,e.note,e.created_at FROM faults r JOIN record_events e ON e.record_kind='fault' AND e.record_id=r.id WHERE r.id IN (${sub}) AND r.created_at < @to`).all({from, to}));
t('count events via subquery', () => db.prepare(`SELECT count(*) FROM record_events WHERE record_kind='fault' AND record_id IN (${sub})`).get({from, to}));
}
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT id,record_id FROM record_events WHERE record_kind='fault' AND record_id IN (${sub})`).all({from,to}));
