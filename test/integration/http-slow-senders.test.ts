import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpServer, SLOW_BODY_MS } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';

const logger = createLogger('silent');
const servers: HttpServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
});

/** A server with one POST route whose answer waits for `release`. */
async function serverWithHeldRoute(requestTimeoutMs?: number) {
  const server = requestTimeoutMs === undefined ? new HttpServer(logger) : new HttpServer(logger, requestTimeoutMs);
  servers.push(server);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let received = 0;
  server.add('POST', '/work', async (_req, res) => {
    received++;
    await held;
    res.writeHead(200).end('done');
  });
  const port = await server.listen(0, '127.0.0.1');
  return { server, port, release, received: () => received };
}

/** Opens a connection and sends a POST's headers and the first `sent` of `length` body bytes. */
async function slowSender(port: number, length: number, sent: number): Promise<{ socket: Socket; answer: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let answer = '';
  const answered = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
  });
  socket.write(`POST /work HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${length}\r\n\r\n${'x'.repeat(sent)}`);
  return { socket, answer: answered };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('HTTP server: requests still arriving', () => {
  it('stops counting a request as processing when its body is still arriving after SLOW_BODY_MS, so slow senders do not hold back background work', async () => {
    const { server, port, release, received } = await serverWithHeldRoute();
    await slowSender(port, 1_000, 10);
    await slowSender(port, 1_000, 0);
    // Counted from the headers: background work waits for a request between its headers and its body.
    await expect.poll(() => server.processing.unanswered).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, SLOW_BODY_MS + 50));
    expect(server.processing.unanswered).toBe(0);
    let idle = false;
    void server.processing.answered().then(() => (idle = true));
    await tick();
    expect(idle).toBe(true);

    const complete = await slowSender(port, 4, 4);
    await expect.poll(() => received()).toBe(1);
    expect(server.processing.unanswered).toBe(1);
    idle = false;
    const waited = server.processing.answered().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    release();
    await waited;
    expect(server.processing.unanswered).toBe(0);
    complete.socket.end();
  });

  it('answers 408 and closes the connection of a sender that takes longer than the request timeout', async () => {
    const { port } = await serverWithHeldRoute(400);
    const started = performance.now();
    const { answer } = await slowSender(port, 1_000, 10);
    expect(await answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
