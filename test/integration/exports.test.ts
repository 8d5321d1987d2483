import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/chat/model.js';
import { linkRecord } from '../../src/cis/records.js';
import { csvEncoder } from '../../src/exports/csv.js';
import { createRest } from '../../src/platforms/discord/rest.js';
import { DiscordDeliverer } from '../../src/platforms/discord/deliverer.js';
import { PermanentDeliveryError } from '../../src/platforms/port.js';
import { saveAttachment } from '../../src/platforms/shell/attachments.js';
import { DirectChannels, SlackDeliverer } from '../../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';
import { Fault, OutboxMessage } from '../../src/store/entities/index.js';
import { FakeDiscordServer } from '../fakes/discord/server.js';
import { FakeSlackServer } from '../fakes/slack/server.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';
import { rowCount } from '../../commands/ops-export.js';
import { translator } from '../../src/chat/i18n/catalog.js';

class Sink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+SUM(1,1)', '@cmd', '-2+3', '\tleading tab', '\rcarriage'];

describe('CSV exports', () => {
  let world: TestWorld;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
  });
  afterEach(async () => world.store.close());

  async function exportCsv(kind: 'faults' | 'cis' | 'audit', range = {}): Promise<{ bytes: Buffer; rows: Record<string, string>[]; count: number }> {
    const sink = new Sink();
    const count = await world.services.exports.writeCsv(kind, range, sink);
    return { bytes: sink.bytes, rows: parse<Record<string, string>>(sink.bytes, { bom: true, columns: true }), count };
  }

  it('reads back equal to the records: BOM, CJK, commas, quotes, newlines intact; hostile cells neutralised; numbers unchanged', async () => {
    const ann = await world.actor('ann');
    const tricky = '三楼打印机, "卡纸"\nsecond line';
    const made: Fault[] = [];
    made.push(await world.services.faults.report(ann, { title: tricky, description: 'desc, with "quotes"\r\nand CRLF', category: 'hardware', impact: 1, urgency: 2 }));
    for (const hostile of HOSTILE) {
      world.clock.advance(60_000);
      made.push(await world.services.faults.report(ann, { title: hostile, description: hostile, category: 'other', impact: 3, urgency: 3 }));
    }
    await world.services.cis.upsert(ann, [{ name: 'printer-3f', type: 'server', environment: 'production' }], { atomic: true });
    await world.store.transaction((m) => linkRecord(m, 'fault', made[0]?.id ?? 0, [1]));
    const { bytes, rows, count } = await exportCsv('faults');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(count).toBe(made.length);
    expect(rows).toHaveLength(made.length);
    expect(rows[0]).toMatchObject({ id: `INC-${made[0]?.id}`, title: tricky, description: 'desc, with "quotes"\r\nand CRLF', impact: '1', urgency: '2', priority: 'P2', reporter: 'ann', configuration_items: 'printer-3f', created_at: '2026-11-23T10:00:00+01:00' });
    const titles = rows.slice(1).map((r) => r.title);
    expect(titles).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+SUM(1,1)", "'@cmd", "'-2+3", "'\tleading tab", "'\rcarriage"]);
    expect(rows.slice(1).every((r) => r.impact === '3')).toBe(true);
  });

  it('quotes a cell holding a lone LF or CR, so a reader keeps the record whole', async () => {
    const ann = await world.actor('ann');
    await world.services.faults.report(ann, { title: 'plain title', description: 'first line\nsecond line', category: 'other', impact: 3, urgency: 3 });
    await world.services.faults.report(ann, { title: 'other title', description: 'old mac\rline', category: 'other', impact: 3, urgency: 3 });
    const { bytes, rows } = await exportCsv('faults');
    expect(rows.map((r) => r.description)).toEqual(['first line\nsecond line', 'old mac\rline']);
    const raw = bytes.toString('utf8');
    expect(raw).toContain('"first line\nsecond line"');
    expect(raw).toContain('"old mac\rline"');
    expect(csvEncoder(['text', 'n']).row(['a\nb', 1])).toBe('"a\nb",1\r\n');
  });

  it('keeps negative numbers as numbers, and neutralises text that only looks like one', async () => {
    const ann = await world.actor('ann');
    const fault = await world.services.faults.report(ann, { title: '-15', description: 'x', category: 'other', impact: 3, urgency: 3 });
    // A fault acknowledged "before" it was reported (clock skew between processes) gives a negative duration.
    await world.store.manager.update(Fault, { id: fault.id }, { acknowledgedAt: new Date('2026-11-23T08:45:00.000Z') });
    const { rows, bytes } = await exportCsv('faults');
    expect(rows[0]?.minutes_to_acknowledge).toBe('-15');
    expect(rows[0]?.title).toBe("'-15");
    expect(bytes.toString('utf8')).toContain(',-15,');
  });

  it('filters by creation day in TZ_NAME and streams in batches', async () => {
    const ann = await world.actor('ann');
    for (let i = 0; i < 3; i++) {
      await world.services.faults.report(ann, { title: `day ${i}`, description: 'x', category: 'other', impact: 3, urgency: 3 });
      world.clock.advance(86_400_000);
    }
    const from = new Date('2026-11-23T23:00:00Z'); // 2026-11-24 00:00 in Europe/Berlin
    const { rows } = await exportCsv('faults', { from, to: new Date(from.getTime() + 86_400_000) });
    expect(rows.map((r) => r.title)).toEqual(['day 1']);
  });

  it('/ops export is for managers, the audit export for admins; the file goes to the person as a DM', async () => {
    const bot = testRuntime(world);
    await bot.command('UADMIN', '/ops', 'role add <@UMGR|mgr> manager');
    expect(replyText(await bot.command('UANY', '/ops', 'export faults'))).toContain('/ops export needs the manager role');
    expect(replyText(await bot.command('UMGR', '/ops', 'export audit'))).toBe('Only admins can export the audit log.');
    expect(replyText(await bot.command('UMGR', '/ops', 'export faults 2026-11-30 2026-11-01'))).toBe('The first day must come before the last.');
    // No TO: the range ends today (2026-11-23), so a later FROM is refused the same way, and nothing is sent.
    expect(replyText(await bot.command('UMGR', '/ops', 'export cis 2026-11-24'))).toBe('The first day must come before the last.');
    expect(await world.store.manager.countBy(OutboxMessage, { targetId: 'UMGR' })).toBe(0);
    expect(replyText(await bot.command('UMGR', '/ops', 'export cis 2026-11-23'))).toMatch(/^cis-2026-11-23-to-2026-11-23\.csv \(0 rows\)/);
    // A TO that is no day names the argument as the usage line does and says what it takes.
    const queuedBefore = await world.store.manager.countBy(OutboxMessage, { targetId: 'UMGR' });
    expect(replyText(await bot.command('UMGR', '/ops', 'export faults 2026-11-01 30.11.2026'))).toBe(
      '"30.11.2026" is not valid for TO (Last day, YYYY-MM-DD (created on or before)). Write it like this: /ops export <faults|requests|changes|cis|audit> [FROM] [TO]',
    );
    expect(await world.store.manager.countBy(OutboxMessage, { targetId: 'UMGR' })).toBe(queuedBefore);
    // One row is "1 row", in the reply and in the file's comment.
    await world.services.cis.upsert(await world.actor('ann'), [{ name: 'mail-01', type: 'server', environment: 'production' }], { atomic: true });
    expect(replyText(await bot.command('UMGR', '/ops', 'export cis 2026-11-23'))).toBe('cis-2026-11-23-to-2026-11-23.csv (1 row) is on its way to you as a direct message.');
    const one = JSON.parse((await world.store.manager.findOneOrFail(OutboxMessage, { where: { targetId: 'UMGR', targetKind: 'dm' }, order: { id: 'DESC' } })).payload) as ChatMessage;
    expect(one.fallback).toBe('cis-2026-11-23-to-2026-11-23.csv: 1 row.');
    expect([rowCount(1, translator('zh-CN')), rowCount(2, translator('zh-CN')), rowCount(2, translator('en'))]).toEqual(['1 行', '2 行', '2 rows']);
    const reply = replyText(await bot.command('UADMIN', '/ops', 'export audit 2026-11-01'));
    expect(reply).toMatch(/^audit-2026-11-01-to-2026-11-23\.csv \(\d+ rows\) is on its way to you as a direct message\.$/);
    const queued = await world.store.manager.findOneByOrFail(OutboxMessage, { targetId: 'UADMIN', targetKind: 'dm' });
    const message = JSON.parse(queued.payload) as ChatMessage;
    expect(message.attachment?.name).toBe('audit-2026-11-01-to-2026-11-23.csv');
    const csv = parse<Record<string, string>>(readFileSync(message.attachment?.file ?? ''), { bom: true, columns: true });
    expect(csv.map((r) => r.action)).toContain('role.grant');
  });
});

describe('/fault export INC-n', () => {
  it('sends the fault with its whole timeline as Markdown, table cells kept intact', async () => {
    const world = await openTestWorld({ admins: ['slack:UADMIN'] });
    try {
      const bot = testRuntime(world);
      await bot.command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
      const ann = await world.actor('ann');
      const fault = await world.services.faults.report(ann, { title: 'Printer | jams', description: 'line one\nline two', category: 'hardware', impact: 2, urgency: 2 });
      world.clock.advance(600_000);
      const eng = await world.services.people.resolve({ platform: 'slack', userId: 'UENG', displayName: 'eng' });
      await world.services.faults.resolve(eng, fault.id, { rootCause: 'Worn roller', resolutionSteps: 'Replaced the roller' });
      expect(replyText(await bot.command('UANY', '/fault', `export INC-${fault.id}`))).toContain('/fault export needs the engineer role');
      expect(replyText(await bot.command('UENG', '/fault', `export INC-${fault.id}`))).toBe(`INC-${fault.id} as Markdown is on its way to you as a direct message.`);
      const queued = await world.store.manager.findOneByOrFail(OutboxMessage, { targetId: 'UENG', targetKind: 'dm' });
      const md = Buffer.from((JSON.parse(queued.payload) as ChatMessage).attachment?.base64 ?? '', 'base64').toString('utf8');
      expect(md).toContain(`# INC-${fault.id} · Printer \\| jams`);
      expect(md).toContain('## Root cause\n\nWorn roller');
      expect(md).toContain('| 2026-11-23 09:00 | ann | reported |  |');
      expect(md).toContain('| 2026-11-23 09:10 | ueng | resolved |  |');
      expect(md).toContain('line one\\\nline two');
    } finally {
      await world.store.close();
    }
  });
});

describe('attachments through the platforms', () => {
  const message: ChatMessage = {
    fallback: 'faults.csv: 2 rows.',
    body: 'faults.csv: 2 rows.',
    attachment: { name: 'faults.csv', mimeType: 'text/csv; charset=utf-8', base64: Buffer.from('\uFEFFid,title\r\nINC-1,打印机\r\n').toString('base64'), title: 'faults.csv' },
  };

  it('Slack: getUploadURLExternal, upload, completeUploadExternal into the DM channel', async () => {
    const fake = await FakeSlackServer.start();
    try {
      const client = new WebClient(fake.botToken, webClientOptions(fake.apiUrl));
      const deliverer = new SlackDeliverer(client, new DirectChannels(client));
      const ref = await deliverer.post({ platform: 'slack', kind: 'dm', id: 'UMGR' }, message);
      const channel = fake.dmChannelOf('UMGR') ?? '';
      const [file] = fake.filesIn(channel);
      expect(file?.bytes?.toString('utf8')).toBe('\uFEFFid,title\r\nINC-1,打印机\r\n');
      expect([file?.filename, file?.title, file?.initialComment, ref.messageId]).toEqual(['faults.csv', 'faults.csv', 'faults.csv: 2 rows.', file?.id]);
      expect(fake.calls.map((c) => c.method).filter((m) => m !== 'conversations.open')).toEqual(['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
    } finally {
      await fake.stop();
    }
  });

  it('the fake Slack refuses an upload of another length and an incomplete upload', async () => {
    const fake = await FakeSlackServer.start();
    try {
      const client = new WebClient(fake.botToken, webClientOptions(fake.apiUrl));
      const got = await client.files.getUploadURLExternal({ filename: 'x.csv', length: 10 });
      const upload = await fetch(got.upload_url ?? '', { method: 'POST', body: 'short' });
      expect(upload.status).toBe(400);
      await expect(client.files.completeUploadExternal({ files: [{ id: got.file_id ?? '' }], channel_id: 'C123' })).rejects.toThrow('file_upload_incomplete');
    } finally {
      await fake.stop();
    }
  });

  it('Discord: a multipart message with payload_json and files[0]', async () => {
    const fake = await FakeDiscordServer.start();
    try {
      fake.addChannel('111111111111111111');
      const deliverer = new DiscordDeliverer(createRest({ token: fake.botToken, apiUrl: fake.apiUrl }));
      const ref = await deliverer.post({ platform: 'discord', kind: 'channel', id: '111111111111111111' }, message);
      const stored = fake.message(ref.messageId);
      expect(stored?.attachments.map((a) => [a.filename, a.bytes.toString('utf8')])).toEqual([['faults.csv', '\uFEFFid,title\r\nINC-1,打印机\r\n']]);
      expect(fake.refusals).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('the shell: a file under the exports folder, never outside it, copied from the spool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsdesk-exports-'));
    const path = await saveAttachment({ ...message.attachment!, name: '../../etc/passwd' }, dir, 7);
    expect(path).toBe(join(dir, 'passwd-7'));
    expect(readFileSync(await saveAttachment(message.attachment!, dir, 8), 'utf8')).toContain('INC-1,打印机');
    // A spooled file is copied as it is; a spooled file that is gone can never be delivered.
    const spooled = join(dir, 'spooled.csv');
    writeFileSync(spooled, '\uFEFFid\r\nINC-2\r\n');
    expect(readFileSync(await saveAttachment({ name: 'faults.csv', mimeType: 'text/csv', file: spooled }, dir, 9), 'utf8')).toBe('\uFEFFid\r\nINC-2\r\n');
    await expect(saveAttachment({ name: 'gone.csv', mimeType: 'text/csv', file: join(dir, 'gone.csv') }, dir, 10)).rejects.toBeInstanceOf(PermanentDeliveryError);
  });
});
