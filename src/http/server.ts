import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, rawBody: Buffer) => Promise<void>;

/** Bodies past this size are refused before they are parsed. */
export const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * One HTTP server for health, metrics, webhooks and the platforms' HTTP modes. Every route is added
 * before `listen` (DESIGN.md: "every platform and webhook route is registered before the server
 * listens"), so that no request arriving after the port opens can get a 404 for a route that is
 * merely late; a component not ready yet answers 503 from its own route instead.
 */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private readonly server: Server;
  private listening = false;

  constructor(private readonly logger: Logger) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
  }

  /** Adds a route. Throws when the server already listens: a late route is the bug this class prevents. */
  add(method: 'GET' | 'POST', path: string, handler: RouteHandler): void {
    if (this.listening) throw new Error(`route ${method} ${path} added after the HTTP server started listening`);
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Opens the port (0: any free one) and returns it; no route can be added from here on. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    this.listening = true;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = this.routes.get(`${req.method ?? 'GET'} ${path}`);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
      return;
    }
    try {
      const body = await readBody(req);
      await handler(req, res, body);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        if (!res.headersSent) res.writeHead(413, { 'content-type': 'application/json' }).end('{"error":"body_too_large"}');
        return;
      }
      this.logger.error({ err: error, path }, 'http handler failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
    }
  }
}
