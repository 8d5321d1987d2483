// CPU per delivered outbox message (issue #15 item 4): the dispatcher's own work, with a platform that
// answers at once (`noop`) or the real Slack deliverer against a local fake Web API (`slack`).
// Usage: npx tsx bench/outbox-cpu.ts [sqlite|postgres] [noop|slack] [messages]
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import type { ChatMessage, ChatTarget } from '../src/chat/model.js';
import { ManualClock } from '../src/clock.js';
import { Metrics } from '../src/http/metrics.js';
import { createLogger } from '../src/logger.js';
import { OutboxDispatcher } from '../src/outbox/dispatcher.js';
import { enqueue, type OutgoingMessage } from '../src/outbox/outbox.js';
import type { Deliverer, PostedRef } from '../src/platforms/port.js';
import { DirectChannels, SlackDeliverer } from '../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../src/platforms/slack/web-client.js';
import { openDatabase } from '../src/store/data-source.js';
import { Store } from '../src/store/store.js';

const [db = 'sqlite', platform = 'noop', count = '2000'] = process.argv.slice(2);
const N = Number(count);

const noop: Deliverer = {
  platform: 'slack',
  post: async (target: ChatTarget): Promise<PostedRef> => ({ channelId: target.id, messageId: String(Math.random()) }),
  update: async () => undefined,
};

/** A fake Web API in a child process, so that its CPU is not counted as the bot's. */
async function fakeSlack(): Promise<{ url: string; close: () => void }> {
  const script = `
    let ts = 1;
    const server = require('node:http').createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const channel = /channel=([^&]+)/.exec(body)?.[1] ?? 'C1';
        const answer = req.url.includes('conversations.open') ? { ok: true, channel: { id: 'D1' } } : { ok: true, channel, ts: '1700000000.' + String(ts++).padStart(6, '0') };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { url: `http://127.0.0.1:${port}/api/`, close: () => child.kill() };
}

async function main(): Promise<void> {
  const url = db === 'postgres' ? `postgres://postgres@127.0.0.1:5432/test?schema=bench_outbox_${process.pid}` : `sqlite:${join(mkdtempSync(join(tmpdir(), 'ocpu-')), 'o.db')}`;
  const store = new Store(await openDatabase(url), url);
  const clock = new ManualClock(new Date('2026-03-02T09:00:00.000Z'));
  let server: { url: string; close: () => void } | undefined;
  let deliverer = noop;
  if (platform === 'slack') {
    server = await fakeSlack();
    const client = new WebClient('xoxb-bench', webClientOptions(server.url));
    deliverer = new SlackDeliverer(client, new DirectChannels(client));
  }
  const dispatcher = new OutboxDispatcher({ store, deliverers: new Map([['slack', deliverer]]), clock, logger: createLogger('silent'), metrics: new Metrics(), holder: 'bench' });
  const card = (i: number, round: number): ChatMessage => ({ fallback: `INC-${i} round ${round}`, title: `INC-${i}`, body: `state ${round}`, fields: [{ label: 'Priority', value: 'P2' }] });
  const batch = (round: number): OutgoingMessage[] =>
    Array.from({ length: N / 2 }, (_, i) => [
      { target: { platform: 'slack', kind: 'channel', id: 'C1' }, key: `fault:${i}:announcement`, message: card(i, round) },
      { target: { platform: 'slack', kind: 'dm', id: 'U1' }, message: { fallback: `INC-${i} acknowledged (${round})` } },
    ]).flat() as OutgoingMessage[];
  const drain = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const n = await dispatcher.runOnce();
      total += n;
      if (n === 0) return total;
    }
  };
  // Round 0 posts the cards (and warms up); round 1, measured, edits them and sends DMs, as a click does.
  for (let i = 0; i < N; i += 100) await store.transaction((m) => enqueue(m, clock.now(), batch(0).slice(i, i + 100)));
  await drain();
  for (let i = 0; i < N; i += 100) await store.transaction((m) => enqueue(m, clock.now(), batch(1).slice(i, i + 100)));
  const before = process.cpuUsage();
  const started = performance.now();
  const delivered = await drain();
  const cpu = process.cpuUsage(before);
  const ms = (cpu.user + cpu.system) / 1000;
  console.log(`${db} ${platform}: ${delivered} delivered, CPU ${ms.toFixed(0)} ms = ${((ms / delivered) * 1000).toFixed(0)} µs per message (wall ${(performance.now() - started).toFixed(0)} ms)`);
  server?.close();
  if (db === 'postgres') await store.dataSource.query(`DROP SCHEMA bench_outbox_${process.pid} CASCADE`);
  await store.close();
}

await main();
