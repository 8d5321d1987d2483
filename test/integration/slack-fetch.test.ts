import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackFetch } from '../../src/platforms/slack/fetch.js';
import { webClientOptions } from '../../src/platforms/slack/web-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('slackFetch: the Web API client over undici', () => {
  const seen: Seen[] = [];
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/api/slow.method') return; // never answered
        if (req.url === '/api/limited.method') {
          res.writeHead(429, { 'retry-after': '7' }).end();
          return;
        }
        if (req.url === '/api/empty') {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write,im:write' });
        res.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1700000000.000100', echo: Object.fromEntries(new URLSearchParams(body)) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('carries a Web API call: form body and bearer token out, JSON and headers back', async () => {
    const client = new WebClient('xoxb-test-token', webClientOptions(base));
    const result = await client.chat.postMessage({ channel: 'C1', text: 'INC-7 acknowledged by <@U1> & co' });
    expect(result).toMatchObject({ ok: true, channel: 'C1', ts: '1700000000.000100' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'im:write']);
    const call = seen.at(-1);
    expect(call).toMatchObject({ method: 'POST', url: '/api/chat.postMessage' });
    expect(call?.headers.authorization).toBe('Bearer xoxb-test-token');
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(call?.body))).toMatchObject({ channel: 'C1', text: 'INC-7 acknowledged by <@U1> & co' });
  });

  it("shows a 429's Retry-After to the client, which refuses the call as rate limited", async () => {
    const client = new WebClient('xoxb-test-token', webClientOptions(base));
    await expect(client.apiCall('limited.method')).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 7 });
  });

  it('rejects with the signal\'s reason when the call times out, as fetch does', async () => {
    const started = performance.now();
    const call = slackFetch(`${base}slow.method`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(150) });
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('answers a bodiless status without a body, and leaves other bodies to Node\'s fetch', async () => {
    const empty = await slackFetch(`${base}empty`, { method: 'POST', body: '' });
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
    const form = new FormData();
    form.append('channel', 'C9');
    const viaFetch = await slackFetch(`${base}files.upload`, { method: 'POST', body: form });
    expect(viaFetch.status).toBe(200);
    expect(seen.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
  });
});
