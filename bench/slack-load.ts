// The load side of bench/slack-clicks.ts: signed Slack requests (signature v0, as Slack signs them)
// fired at a fixed concurrency over keep-alive connections, with the latency of each answer.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

export interface LoadFigures {
  requests: number;
  /** Answers other than 200, and connections dropped before an answer (not in the percentiles). */
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Answered requests per second of wall-clock time, first request sent to last answer received. */
  perSecond: number;
}

/** Slack's request signature: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function post(agent: Agent, url: URL, secret: string, body: string): Promise<{ status: number; ms: number }> {
  // Signed when sent, as Slack does; the HMAC is part of what a real sender pays, not the server.
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, body),
  };
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

/**
 * Sends every body once, `concurrency` at a time (each worker sends its next body when the previous
 * answer is in), and returns the latency percentiles and the rate. Throws on a connection error.
 */
export async function fire(eventsUrl: string, secret: string, bodies: string[], concurrency: number): Promise<LoadFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(eventsUrl);
  const latencies: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      const body = bodies[index];
      if (body === undefined) return;
      // A connection the server dropped counts as a failed request, as Slack would count it.
      const answer = await post(agent, url, secret, body).catch(() => ({ status: 0, ms: 0 }));
      if (answer.status === 0) {
        failed += 1;
        continue;
      }
      latencies.push(answer.ms);
      if (answer.status !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests: bodies.length, failed, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), perSecond: bodies.length / elapsedS };
}

/**
 * `fire` on a worker thread of its own (bench/load-worker.ts), so that work on the calling thread
 * (the fake Slack answering the bot's API calls) cannot delay the client's reading of answers and
 * inflate the latencies measured. Rejects when the worker fails.
 */
export function fireInWorker(eventsUrl: string, secret: string, bodies: string[], concurrency: number): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    // The worker is TypeScript like the bench: tsx's loader is registered on its thread first.
    const script = new URL('./load-worker.ts', import.meta.url).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { url: eventsUrl, secret, bodies, concurrency } });
    worker.once('message', (figures: LoadFigures) => resolve(figures));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load worker exited with ${code}`))));
  });
}

/** A `block_actions` click on one button, shaped as Slack sends it from a channel message, form-encoded. */
export function clickBody(input: { teamId: string; user: string; channel: string; messageTs: string; actionId: string; value: string }): string {
  const payload = {
    type: 'block_actions',
    user: { id: input.user, username: input.user.toLowerCase(), name: input.user.toLowerCase(), team_id: input.teamId },
    api_app_id: 'ABENCH',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.bench`,
    team: { id: input.teamId, domain: 'bench' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: 'faults' },
    state: { values: {} },
    response_url: 'http://127.0.0.1:9/response',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'actions',
        text: { type: 'plain_text', text: 'Acknowledge' },
        value: input.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A slash command as Slack posts it, form-encoded. */
export function commandBody(input: { teamId: string; user: string; channel: string; command: string; text: string; responseUrl: string }): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: input.teamId,
    team_domain: 'bench',
    channel_id: input.channel,
    channel_name: 'ops',
    user_id: input.user,
    user_name: input.user.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: 'ABENCH',
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.bench`,
  }).toString();
}
