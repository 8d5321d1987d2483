import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { ChangeRequest } from '../../src/changes/request-input.js';
import type { FaultReport } from '../../src/faults/service.js';
import type { Actor } from '../../src/people/actor.js';
import { SEARCH_PAGE_SIZE, SearchService } from '../../src/search/service.js';
import { createServices, type Services } from '../../src/services.js';
import { openDatabase } from '../../src/store/data-source.js';
import { SYSTEM } from '../../src/people/actor.js';
import { appendEvent } from '../../src/records/timeline.js';
import { SYSTEM_NOTES } from '../../migrations/1765324800000-SearchTimelineNotes.js';
import { Fault, RecordEvent } from '../../src/store/entities/index.js';
import { Store } from '../../src/store/store.js';
import { tempSqliteUrl } from '../helpers/db.js';
import { POSTGRES_URL, createSchema } from '../helpers/postgres.js';

const T0 = new Date('2026-11-23T09:00:00.000Z');
const HOUR = 3_600_000;

const fault = (title: string, description: string): FaultReport => ({ title, description, category: 'hardware', impact: 2, urgency: 2 });
const change = (title: string, rollbackPlan: string): ChangeRequest => ({
  title,
  content: 'Replace the firmware',
  reason: 'Vendor advisory',
  expectedImpact: 'Ten minutes without Wi-Fi',
  risk: 'low',
  type: 'standard',
  rollbackPlan,
  window: { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T23:00:00Z') },
  configItems: ['ap-3f'],
});

interface Db {
  store: Store;
  services: Services;
  clock: ManualClock;
  close: () => Promise<void>;
}

async function sqlite(): Promise<Db> {
  const url = tempSqliteUrl();
  const store = new Store(await openDatabase(url), url);
  return world(store, async () => store.close());
}

async function postgres(): Promise<Db> {
  const { schema, drop } = await createSchema();
  const store = new Store(await openDatabase(POSTGRES_URL, { schema }), POSTGRES_URL);
  return world(store, async () => {
    await store.close();
    await drop();
  });
}

function world(store: Store, close: () => Promise<void>): Db {
  const clock = new ManualClock(T0);
  const services = createServices({ store, clock, timeZone: 'Asia/Shanghai', defaultLocale: 'en', bootstrapAdmins: ['shell:admin'], channelDefaults: { fault_channel: 'shell:faults' } });
  return { store, services, clock, close };
}

describe.each([
  ['SQLite (FTS5 trigram)', sqlite],
  ['PostgreSQL (pg_trgm)', postgres],
])('search on %s', (_name, open) => {
  let db: Db;
  let ann: Actor;
  let eng: Actor;
  const ids: Record<string, number> = {};
  const later = () => db.clock.advance(HOUR);

  beforeAll(async () => {
    db = await open();
    const as = (name: string) => db.services.people.resolve({ platform: 'shell', userId: name, displayName: name });
    const admin = await as('admin');
    ann = await as('ann');
    await db.services.people.grant(admin, { platform: 'shell', userId: 'eng' }, 'engineer');
    eng = await as('eng');
    const report = async (key: string, title: string, description: string) => {
      ids[key] = (await db.services.faults.report(ann, fault(title, description))).id;
      later();
    };
    await report('printer', '三楼打印机卡纸', '每次打印第二页时卡纸');
    await report('vpnOld', 'VPN drops every hour', 'Since Monday');
    await report('mentions', 'Slow laptop', 'The VPN client uses all memory');
    await report('vpnNew', 'VPN login fails', 'Error 809');
    await report('percent', 'Disk at 100% on file server', 'disk full');
    for (let i = 0; i < 12; i++) await report(`bulk${i}`, `Projector ${i} flickers`, 'room B');
    await db.services.faults.resolve(eng, ids.mentions ?? 0, { rootCause: 'Memory leak in the Wi-Fi driver', resolutionSteps: 'Rolled the driver back to 22.1' });
    ids.request = (await db.services.requests.submit(ann, { title: '需要一台打印机', requestType: 'hardware', importance: 2, urgency: 2 })).id;
    ids.change = (await db.services.changes.request(ann, change('Access point firmware', 'Reflash the 22.1 firmware from USB'))).id;
  });
  afterAll(async () => db?.close());

  const found = async (text: string, kinds?: ('fault' | 'request' | 'change')[], offset = 0) =>
    (await db.services.search.search(text, kinds, offset)).hits.map((h) => `${h.kind}:${h.id}`);

  it('finds a Chinese substring without a word segmenter, and two-character words through the fallback', async () => {
    expect(await found('打印机', ['fault'])).toEqual([`fault:${ids.printer}`]);
    expect(await found('卡纸')).toEqual([`fault:${ids.printer}`]);
    expect(await found('打印机')).toEqual([`request:${ids.request}`, `fault:${ids.printer}`]);
  });

  it("leaves out another person's service requests for an employee, as /request show does, on every path", async () => {
    const bob = await db.services.people.resolve({ platform: 'shell', userId: 'bob', displayName: 'bob' });
    const hits = async (text: string, viewer: Actor) => (await db.services.search.search(text, undefined, 0, viewer)).hits.map((h) => `${h.kind}:${h.id}`);
    // Trigram (FTS) path, the two-character fallback, and a request-only search.
    expect(await hits('打印机', bob)).toEqual([`fault:${ids.printer}`]);
    expect(await hits('需要', bob)).toEqual([]);
    expect((await db.services.search.search('打印机', ['request'], 0, bob)).hits).toEqual([]);
    expect(await hits('打印机', ann)).toEqual([`request:${ids.request}`, `fault:${ids.printer}`]);
    expect(await hits('打印机', eng)).toEqual([`request:${ids.request}`, `fault:${ids.printer}`]);
  });

  it('ranks title matches first, then newest first among equals', async () => {
    expect(await found('vpn')).toEqual([`fault:${ids.vpnNew}`, `fault:${ids.vpnOld}`, `fault:${ids.mentions}`]);
    expect(await found('VPN login')).toEqual([`fault:${ids.vpnNew}`]);
  });

  it('searches root causes and resolution steps written after the report, and change fields', async () => {
    expect(await found('memory leak')).toEqual([`fault:${ids.mentions}`]);
    expect(await found('22.1')).toEqual([`change:${ids.change}`, `fault:${ids.mentions}`]);
    expect(await found('22.1', ['change'])).toEqual([`change:${ids.change}`]);
    expect(await found('reflash usb', ['fault', 'request'])).toEqual([]);
  });

  it('treats LIKE wildcards and FTS syntax in the text as plain characters', async () => {
    expect(await found('100%')).toEqual([`fault:${ids.percent}`]);
    expect(await found('"AND" OR *')).toEqual([]);
    expect(await found('%')).toEqual([`fault:${ids.percent}`]);
  });

  it('pages ten at a time and says when there is more', async () => {
    const first = await db.services.search.search('projector');
    expect(first.hits).toHaveLength(SEARCH_PAGE_SIZE);
    expect(first.more).toBe(true);
    expect(first.hits[0]?.id).toBe(ids.bulk11);
    const second = await db.services.search.search('projector', undefined, SEARCH_PAGE_SIZE);
    expect(second.hits.map((h) => h.id)).toEqual([ids.bulk1, ids.bulk0]);
    expect(second.more).toBe(false);
  });

  it('updates the index in the transaction of the record: a rolled-back change leaves no trace', async () => {
    const id = ids.bulk0 ?? 0;
    const rename = (title: string, fail: boolean) =>
      db.store.transaction(async (m) => {
        await m.update(Fault, { id }, { title });
        if (fail) throw new Error('rolled back');
      });
    await expect(rename('Beamer flickers', true)).rejects.toThrow('rolled back');
    expect(await found('beamer')).toEqual([]);
    await rename('Beamer flickers', false);
    expect(await found('beamer')).toEqual([`fault:${id}`]);
    expect(await found('projector', undefined, SEARCH_PAGE_SIZE)).toEqual([`fault:${ids.bulk1}`]);
  });

  const note = (recordKind: string, recordId: number, text: string, fail = false) =>
    db.store.transaction(async (m) => {
      await appendEvent(m, { recordKind, recordId, actor: SYSTEM, kind: 'alert_firing', fromState: null, toState: null, note: text, at: db.clock.now() });
      if (fail) throw new Error('rolled back');
    });

  it('finds a record by text only in a timeline note, at once, in the transaction that wrote the note', async () => {
    const id = ids.percent ?? 0;
    await expect(note('fault', id, 'Controller reports 存储阵列 latency', true)).rejects.toThrow('rolled back');
    expect(await found('存储阵列')).toEqual([]);
    await note('fault', id, 'Controller reports 存储阵列 latency');
    expect(await found('存储阵列')).toEqual([`fault:${id}`]);
    expect(await found('阵列 latency', ['fault'])).toEqual([`fault:${id}`]);
    // A second note is appended to the first; both stay searchable, also together with the title.
    await note('fault', id, 'RAID rebuild started');
    expect(await found('rebuild 存储阵列 disk')).toEqual([`fault:${id}`]);
    // Two-character words go through the LIKE fallback, which reads the notes too.
    expect(await found('阵列')).toEqual([`fault:${id}`]);
    expect(await found('latency', ['request', 'change'])).toEqual([]);
  });

  it('ranks a note match like a match in the description: titles first, order otherwise unchanged', async () => {
    const before = await found('vpn');
    await note('fault', ids.printer ?? 0, 'Printer queue server lost its VPN route');
    // The printer fault is the oldest of the description-level matches, so it comes last.
    expect(await found('vpn')).toEqual([...before, `fault:${ids.printer}`]);
    expect(before).toEqual([`fault:${ids.vpnNew}`, `fault:${ids.vpnOld}`, `fault:${ids.mentions}`]);
    // A note on a record whose description already matched does not move it; on a record whose
    // title matched, it counts as a description match would (title and description before title alone).
    await note('fault', ids.mentions ?? 0, 'VPN client reinstalled');
    expect(await found('vpn')).toEqual([...before, `fault:${ids.printer}`]);
    await note('fault', ids.vpnOld ?? 0, 'VPN concentrator restarted');
    expect(await found('vpn')).toEqual([`fault:${ids.vpnOld}`, `fault:${ids.vpnNew}`, `fault:${ids.mentions}`, `fault:${ids.printer}`]);
  });

  it('keeps notes when the record is edited, and forgets a note whose event is deleted', async () => {
    const id = ids.bulk5 ?? 0;
    await note('fault', id, 'lamp replaced by facilities');
    await db.store.manager.update(Fault, { id }, { title: 'Projector 5 lamp dim' });
    expect(await found('facilities')).toEqual([`fault:${id}`]);
    const events = await db.store.manager.find(RecordEvent, { where: { recordKind: 'fault', recordId: id } });
    const withNote = events.find((e) => e.note === 'lamp replaced by facilities');
    await db.store.manager.delete(RecordEvent, { id: withNote?.id ?? 0 });
    expect(await found('facilities')).toEqual([]);
    expect(await found('lamp')).toEqual([`fault:${id}`]);
  });

  it('ranks only the latest matches when more than the window match', async () => {
    const titled = (await db.services.faults.report(ann, fault('Toner empty', 'third floor'))).id;
    later();
    const described: number[] = [];
    for (let i = 0; i < 3; i++) {
      described.push((await db.services.faults.report(ann, fault(`Copier ${i} streaks`, 'needs toner'))).id);
      later();
    }
    const newestFirst = [...described].reverse().map((id) => `fault:${id}`);
    expect(await found('toner')).toEqual([`fault:${titled}`, ...newestFirst]);
    const narrow = new SearchService(db.store, 3);
    const page = await narrow.search('toner');
    expect(page.hits.map((h) => `${h.kind}:${h.id}`)).toEqual(newestFirst);
    expect(page.more).toBe(false);
  });

  it('indexes the first lines opsdesk writes itself on a timeline, and every note from a person', async () => {
    const id = ids.bulk7 ?? 0;
    await db.store.transaction(async (m) => {
      for (let i = 1; i <= SYSTEM_NOTES + 5; i++) {
        await appendEvent(m, { recordKind: 'fault', recordId: id, actor: SYSTEM, kind: 'alert_firing', fromState: null, toState: null, note: `storm line zebra${i}x`, at: db.clock.now() });
      }
    });
    expect(await found(`zebra${SYSTEM_NOTES}x`)).toEqual([`fault:${id}`]);
    expect(await found(`zebra${SYSTEM_NOTES + 1}x`)).toEqual([]);
    await db.store.transaction((m) => appendEvent(m, { recordKind: 'fault', recordId: id, actor: eng, kind: 'comment', fromState: null, toState: null, note: 'swapped the giraffe cable', at: db.clock.now() }));
    expect(await found('giraffe')).toEqual([`fault:${id}`]);
  });
});
