// The chat export path at scale: `/ops export faults` spools the CSV under the data folder in batches
// (src/exports/send.ts) and the Slack deliverer streams the file through the upload flow
// (src/platforms/slack/upload.ts). Time and peak RSS are measured over both steps together.
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import type { ChatMessage } from '../src/chat/model.js';
import { sendCsvExport } from '../src/exports/send.js';
import { releaseSpooled } from '../src/outbox/spool.js';
import { DirectChannels, SlackDeliverer } from '../src/platforms/slack/deliverer.js';
import { webClientOptions } from '../src/platforms/slack/web-client.js';
import type { Services } from '../src/services.js';
import { OutboxMessage } from '../src/store/entities/index.js';
import type { Store } from '../src/store/store.js';
import { UploadSink } from './upload-sink.js';

const MiB = 1024 * 1024;

/** Exports every fault to a Slack DM through the spool and the streamed upload; returns one result line. */
export async function measureChatExport(services: Services, store: Store): Promise<string> {
  const sink = await UploadSink.start();
  try {
    const admin = await services.people.resolve({ platform: 'slack', userId: 'UADMIN', displayName: 'admin' });
    const client = new WebClient('xoxb-bench', webClientOptions(sink.apiUrl));
    const deliverer = new SlackDeliverer(client, new DirectChannels(client));
    let peak = process.memoryUsage().rss;
    const before = peak;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = performance.now();
    const sent = await sendCsvExport(services.exports, admin, { kind: 'faults', target: { platform: 'slack', kind: 'dm', id: 'UADMIN' } }, (f) => `${f.name}: ${f.rows} rows`);
    const spooled = performance.now();
    for (const row of await store.manager.find(OutboxMessage, { where: { status: 'pending' } })) {
      const message = JSON.parse(row.payload) as ChatMessage;
      await deliverer.post({ platform: 'slack', kind: 'dm', id: row.targetId }, message);
      await releaseSpooled(message);
    }
    const done = performance.now();
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (sink.bytes !== sent.bytes) throw new Error(`uploaded ${sink.bytes} bytes of ${sent.bytes}`);
    return (
      `chat export of ${sent.rows.toLocaleString('en-US')} faults (${(sent.bytes / MiB).toFixed(1)} MiB CSV): spooled in ${((spooled - started) / 1000).toFixed(1)} s, ` +
      `uploaded in ${((done - spooled) / 1000).toFixed(1)} s; peak RSS ${(peak / MiB).toFixed(0)} MiB (${((peak - before) / MiB).toFixed(0)} MiB above the start)`
    );
  } finally {
    await sink.stop();
  }
}

/**
 * The previous path, for comparison in the same run: the CSV collected in memory and queued as base64
 * inside the outbox row's JSON (what `/ops export` did before the spool). Returns one result line.
 */
export async function measureInMemoryExport(services: Services): Promise<string> {
  let peak = process.memoryUsage().rss;
  const before = peak;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const started = performance.now();
  const chunks: Buffer[] = [];
  const collector = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const rows = await services.exports.writeCsv('faults', {}, collector);
  const bytes = Buffer.concat(chunks);
  const payload = JSON.stringify({ fallback: 'x', attachment: { name: 'faults.csv', mimeType: 'text/csv', base64: bytes.toString('base64') } });
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return `  before (in memory, base64 in the outbox row) for ${rows.toLocaleString('en-US')} faults: ${(ms / 1000).toFixed(1)} s to a ${(payload.length / MiB).toFixed(1)} MiB payload; peak RSS ${(peak / MiB).toFixed(0)} MiB (${((peak - before) / MiB).toFixed(0)} MiB above the start)`;
}
