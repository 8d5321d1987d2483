import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, formatAnchor, hashEntry, parseAnchor, verifyChain, type Anchor } from '../../src/audit/chain.js';
import { AuditEntry } from '../../src/store/entities/index.js';
import type { Store } from '../../src/store/store.js';
import { openTestStore } from '../helpers/db.js';

describe('audit chain verification against an earlier anchor (policy 5.1)', () => {
  let store: Store;
  let anchor: Anchor;

  beforeEach(async () => {
    store = await openTestStore();
    for (let i = 1; i <= 5; i++) {
      await appendAudit(store.manager, new Date(Date.UTC(2026, 11, i)), {
        actor: { personId: null, displayName: 'SYSTEM' },
        action: 'fault.resolve',
        recordType: 'fault',
        recordId: `INC-${i}`,
        before: null,
        after: { n: i },
      });
    }
    const verdict = await verifyChain(store.manager);
    // What a report posted now shows.
    anchor = parseAnchor(formatAnchor(verdict.entries, verdict.head)) as Anchor;
  });
  afterEach(async () => {
    await store.close();
  });

  it('an intact chain holds the anchor at its position', async () => {
    expect(anchor.position).toBe(5);
    const verdict = await verifyChain(store.manager, anchor);
    expect(verdict).toMatchObject({ ok: true, entries: 5, head: anchor.hash, anchor: { foundAt: 5, ok: true } });
    // More entries later: the anchor stays where it was.
    await appendAudit(store.manager, new Date(Date.UTC(2026, 11, 9)), { actor: { personId: null, displayName: 'SYSTEM' }, action: 'x', recordType: 'fault', recordId: 'INC-9', before: null, after: null });
    expect(await verifyChain(store.manager, anchor)).toMatchObject({ ok: true, entries: 6, anchor: { foundAt: 5, ok: true } });
    expect(await verifyChain(store.manager, { hash: anchor.hash, position: 4 })).toMatchObject({ ok: true, anchor: { foundAt: 5, ok: false } });
  });

  it('an edited row breaks the chain at that row', async () => {
    await store.manager.query(`UPDATE audit_log SET "after" = ${store.kind === 'postgres' ? '$1' : '?'} WHERE id = 3`, ['{"n":33}']);
    expect(await verifyChain(store.manager, anchor)).toMatchObject({ ok: false, entries: 2, brokenAt: 3, anchor: { foundAt: null, ok: false } });
  });

  it('a deleted row breaks the chain at the next one; a deleted last row loses the anchor', async () => {
    await store.manager.query(`DELETE FROM audit_log WHERE id = 3`);
    expect(await verifyChain(store.manager)).toMatchObject({ ok: false, entries: 2, brokenAt: 4 });
    await store.manager.query(`DELETE FROM audit_log WHERE id >= 3`);
    const truncated = await verifyChain(store.manager, anchor);
    expect(truncated).toMatchObject({ ok: true, entries: 2, anchor: { foundAt: null, ok: false } });
  });

  it('a rewritten, internally consistent chain no longer holds the anchor', async () => {
    const rows = await store.manager.find(AuditEntry, { order: { id: 'ASC' } });
    let previous = rows[0]?.hash as string;
    for (const row of rows.slice(1)) {
      if (row.id === 2) row.after = '{"n":"rewritten"}';
      row.prevHash = previous;
      row.hash = hashEntry(row);
      previous = row.hash;
      await store.manager.save(AuditEntry, row);
    }
    const verdict = await verifyChain(store.manager, anchor);
    expect(verdict).toMatchObject({ ok: true, entries: 5, anchor: { foundAt: null, ok: false } });
    expect(verdict.head).not.toBe(anchor.hash);
  });

  it('reads anchors as printed, and refuses anything else', () => {
    const hash = 'AB'.repeat(32);
    expect(parseAnchor(`12:${hash}`)).toEqual({ hash: hash.toLowerCase(), position: 12 });
    expect(parseAnchor(hash)).toEqual({ hash: hash.toLowerCase(), position: null });
    for (const bad of ['', 'abc', `x:${hash}`, `${hash}0`, '<script>']) expect(parseAnchor(bad)).toBeUndefined();
  });
});
