import { existsSync, readFileSync } from 'node:fs';
import { mkdir, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, Platform } from '../../src/chat/model.js';
import { neutralise } from '../../src/exports/csv.js';
import { sendCsvExport } from '../../src/exports/send.js';
import { sweepSpool } from '../../src/exports/spool-sweep.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { OutboxDispatcher } from '../../src/outbox/dispatcher.js';
import type { Actor } from '../../src/people/actor.js';
import { DiscordDeliverer } from '../../src/platforms/discord/deliverer.js';
import { createRest } from '../../src/platforms/discord/rest.js';
import { PermanentDeliveryError, type Deliverer } from '../../src/platforms/port.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { Fault, OutboxMessage } from '../../src/store/entities/index.js';
import { FakeDiscordServer } from '../fakes/discord/server.js';
import { FakeSlackServer } from '../fakes/slack/server.js';
import { openTestWorld, tempSqliteUrl, type TestWorld } from '../helpers/db.js';

// Chat exports go from the database to the platform through a spooled file: written in batches,
// streamed by the Slack upload flow and the Discord multipart upload, removed once sent or dead, and
// still delivered by a new process when the first one stopped before delivering.

const ROWS = 2_500;
const DISCORD_USER = '123456789012345678';
const TEXTS = ['三楼打印机, "卡纸"\nsecond line', '=HYPERLINK("http://evil.example","x")', '-2+3', 'plain, with comma', '@cmd\r\nCRLF'];

/** Inserts ROWS faults in one transaction (the search triggers run as for any fault). */
async function seedFaults(world: TestWorld): Promise<void> {
  const reporter = await world.actor('ann');
  const at = '2026-11-23T09:00:00.000Z';
  // The database's own placeholders: ? on SQLite, $n on PostgreSQL (both passes run this file).
  const n = world.store.manager.connection.options.type === 'postgres' ? (i: number) => `$${i}` : () => '?';
  await world.store.transaction(async (m) => {
    for (let i = 0; i < ROWS; i++) {
      await m.query(
        `INSERT INTO faults (title, description, category, impact, urgency, priority, state, source, reporter_id, reporter_platform, created_at, updated_at, version, sla_response_step, sla_resolve_step)
         VALUES (${n(1)}, ${n(2)}, 'hardware', 2, 2, 'P3', 'reported', 'chat', ${n(3)}, 'shell', ${n(4)}, ${n(5)}, 1, 0, 0)`,
        [`${TEXTS[i % TEXTS.length] ?? ''} #${i}`, `${TEXTS[(i + 2) % TEXTS.length] ?? ''} ${'x'.repeat(i % 300)}`, reporter.personId, at, at],
      );
    }
  });
}

/** What the CSV must hold for every fault: its id, title and description as a spreadsheet reads them. */
async function expected(world: TestWorld): Promise<string[][]> {
  const faults = await world.store.manager.find(Fault, { order: { id: 'ASC' } });
  return faults.map((f) => [`INC-${f.id}`, neutralise(f.title), neutralise(f.description)]);
}

const columns = (csv: Buffer | string) => parse<Record<string, string>>(csv, { bom: true, columns: true }).map((r) => [r.id ?? '', r.title ?? '', r.description ?? '']);

async function manager(world: TestWorld): Promise<Actor> {
  const admin = await world.actor('admin');
  await world.services.people.grant(admin, { platform: 'shell', userId: 'mgr' }, 'manager');
  return world.actor('mgr');
}

function dispatcher(world: TestWorld, platform: Platform, deliverer: Deliverer): OutboxDispatcher {
  return new OutboxDispatcher({
    store: world.store,
    deliverers: (p) => (p === platform ? deliverer : undefined),
    clock: world.clock,
    logger: createLogger('silent'),
    metrics: new Metrics(),
    holder: 'export-test',
    pollIntervalMs: 20,
  });
}

async function queued(world: TestWorld): Promise<{ row: OutboxMessage; file: string }[]> {
  const rows = await world.store.manager.find(OutboxMessage, { order: { id: 'ASC' } });
  return rows.flatMap((row) => {
    const file = (JSON.parse(row.payload) as ChatMessage).attachment?.file;
    return file ? [{ row, file }] : [];
  });
}

async function settle(world: TestWorld, outbox: OutboxDispatcher, ids: number[]): Promise<void> {
  outbox.start();
  outbox.kick();
  await expect
    .poll(async () => (await world.store.manager.find(OutboxMessage)).filter((r) => ids.includes(r.id) && r.status !== 'pending').length, { timeout: 20_000, interval: 50 })
    .toBe(ids.length);
  await outbox.stop();
}

describe('chat exports stream through a spooled file', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function world(url?: string): Promise<TestWorld> {
    const opened = await openTestWorld({ admins: ['shell:admin'], ...(url ? { url } : {}) });
    cleanups.push(() => opened.store.close());
    return opened;
  }

  it('Slack: many rows spooled, uploaded through the upload flow, read back equal to the records, then removed', async () => {
    const w = await world();
    await seedFaults(w);
    const fake = await FakeSlackServer.start();
    cleanups.push(() => fake.stop());
    const client = new WebClient(fake.botToken, webClientOptions(fake.apiUrl));
    const sent = await sendCsvExport(w.services.exports, await manager(w), { kind: 'faults', target: { platform: 'slack', kind: 'dm', id: 'UMGR' } }, (f) => `${f.name}: ${f.rows}`);
    expect([sent.rows, sent.parts]).toEqual([ROWS, 1]);
    const [spooled] = await queued(w);
    expect(spooled && existsSync(spooled.file)).toBe(true);
    expect(spooled?.file.startsWith(join(w.services.exports.spoolDir))).toBe(true);

    await settle(w, dispatcher(w, 'slack', new SlackDeliverer(client, new DirectChannels(client))), [spooled?.row.id ?? 0]);
    const [file] = fake.filesIn(fake.dmChannelOf('UMGR') ?? '');
    expect(file?.bytes?.length).toBe(sent.bytes);
    expect(columns(file?.bytes ?? '')).toEqual(await expected(w));
    expect([file?.filename, file?.initialComment]).toEqual([sent.name, `${sent.name}: ${ROWS}`]);
    expect(existsSync(spooled?.file ?? '')).toBe(false);
  });

  it('Discord: queued by one process, delivered as a multipart attachment by the next, then removed', async () => {
    const url = tempSqliteUrl('opsdesk-export-restart-');
    const first = await world(url);
    await seedFaults(first);
    await sendCsvExport(first.services.exports, await manager(first), { kind: 'faults', target: { platform: 'discord', kind: 'dm', id: DISCORD_USER } }, (f) => f.name);
    const [spooled] = await queued(first);
    await first.store.close();
    cleanups.pop();

    const second = await world(url);
    const fake = await FakeDiscordServer.start();
    cleanups.push(() => fake.stop());
    await settle(second, dispatcher(second, 'discord', new DiscordDeliverer(createRest({ token: fake.botToken, apiUrl: fake.apiUrl }))), [spooled?.row.id ?? 0]);
    const [message] = fake.messagesIn(fake.dmChannelOf(DISCORD_USER) ?? '');
    const [attachment] = message?.attachments ?? [];
    expect(attachment?.filename).toMatch(/^faults-start-to-2026-11-23\.csv$/);
    expect(columns(attachment?.bytes ?? '')).toEqual(await expected(second));
    expect(fake.refusals).toEqual([]);
    expect(existsSync(spooled?.file ?? '')).toBe(false);
  });

  it('a message that can never be delivered is marked dead and its file removed', async () => {
    const w = await world();
    const fake = await FakeDiscordServer.start();
    cleanups.push(() => fake.stop());
    await sendCsvExport(w.services.exports, await manager(w), { kind: 'faults', target: { platform: 'discord', kind: 'channel', id: '222222222222222222' } }, (f) => f.name);
    const [spooled] = await queued(w);
    expect(existsSync(spooled?.file ?? '')).toBe(true);
    await settle(w, dispatcher(w, 'discord', new DiscordDeliverer(createRest({ token: fake.botToken, apiUrl: fake.apiUrl }))), [spooled?.row.id ?? 0]);
    const row = await w.store.manager.findOneByOrFail(OutboxMessage, { id: spooled?.row.id ?? 0 });
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain('Unknown Channel');
    expect(existsSync(spooled?.file ?? '')).toBe(false);
  });

  it('splits an export larger than the file limit into whole CSV files that each fit', async () => {
    const w = await world();
    await seedFaults(w);
    const limit = 64 * 1024;
    const parts = await w.services.exports.spoolCsv('faults', {}, 'split.csv', limit);
    expect(parts.length).toBeGreaterThan(3);
    const all: string[][] = [];
    for (const part of parts) {
      const bytes = readFileSync(part.path);
      expect(bytes.length).toBe(part.bytes);
      expect(bytes.length).toBeLessThanOrEqual(limit);
      const rows = columns(bytes);
      expect(rows).toHaveLength(part.rows);
      all.push(...rows);
    }
    expect(all).toEqual(await expected(w));
  });

  it('Discord: a file over 25 MiB is refused before anything is sent, and the fake refuses one too', async () => {
    const w = await world();
    const fake = await FakeDiscordServer.start();
    cleanups.push(() => fake.stop());
    fake.addChannel('111111111111111111');
    const path = join(w.services.exports.spoolDir, 'too-large.csv');
    await mkdir(w.services.exports.spoolDir, { recursive: true });
    await writeFile(path, '');
    await truncate(path, 25 * 1024 * 1024 + 1);
    const rest = createRest({ token: fake.botToken, apiUrl: fake.apiUrl });
    const deliverer = new DiscordDeliverer(rest);
    const big: ChatMessage = { fallback: 'big', attachment: { name: 'big.csv', mimeType: 'text/csv', file: path } };
    await expect(deliverer.post({ platform: 'discord', kind: 'channel', id: '111111111111111111' }, big)).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(fake.messagesIn('111111111111111111')).toEqual([]);
    const data = Buffer.alloc(25 * 1024 * 1024 + 1, 'a');
    await expect(rest.post('/channels/111111111111111111/messages', { body: { content: 'x', attachments: [{ id: 0, filename: 'a.csv' }] }, files: [{ name: 'a.csv', data }] })).rejects.toThrow(
      'Request entity too large',
    );
  });

  it('at start-up removes old spooled files no pending message names, and keeps the rest', async () => {
    const w = await world();
    await sendCsvExport(w.services.exports, await manager(w), { kind: 'faults', target: { platform: 'slack', kind: 'dm', id: 'UMGR' } }, (f) => f.name);
    const [spooled] = await queued(w);
    const dir = w.services.exports.spoolDir;
    const orphan = join(dir, 'orphan.csv');
    const fresh = join(dir, 'fresh.csv');
    await writeFile(orphan, 'x');
    await writeFile(fresh, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(orphan, twoHoursAgo, twoHoursAgo);
    await utimes(spooled?.file ?? '', twoHoursAgo, twoHoursAgo);
    expect(await sweepSpool(w.store, dir)).toBe(1);
    expect([existsSync(orphan), existsSync(fresh), existsSync(spooled?.file ?? '')]).toEqual([false, true, true]);
    expect(await sweepSpool(w.store, join(dir, 'missing'))).toBe(0);
  });
});
