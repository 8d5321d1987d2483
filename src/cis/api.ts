// `POST /api/cis`: bulk upsert of configuration items, as real CMDBs are fed (issue #12). Bearer
// WEBHOOK_TOKEN; a CSV (`text/csv`) or JSON (`application/json`) body within the server's body limit;
// `?atomic=true` writes nothing unless every line is good. Answers per line what was created, changed,
// left unchanged or refused (with the reason in English).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rowsFromCsv, rowsFromJson } from './batch-input.js';
import { formatCiId } from './rules.js';
import type { CiService } from './service.js';
import { refusalText } from './views.js';
import { translator } from '../chat/i18n/catalog.js';
import { plainInput } from '../chat/markup.js';
import { UserError } from '../errors.js';
import { bearerMatches } from '../http/bearer.js';
import { RefusalLog } from '../http/refusal-log.js';
import type { HttpServer, RouteHandler } from '../http/server.js';
import type { HttpRoute } from '../capability.js';
import type { Logger } from '../logger.js';
import { SYSTEM } from '../people/actor.js';

export const CI_API_PATH = '/api/cis';

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * The route as main.ts registers it: the token is checked on the headers before the body is read (no
 * credentials: 401, never 413, and no body read), and refusals are logged as the hooks' are, the first
 * in full and then one summary per minute (refusal-log.ts).
 */
export function ciApiRoute(cis: CiService, token: string, logger: Logger): HttpRoute {
  const refusals = new RefusalLog(logger, 'cis api: request without the token refused');
  const authorize = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (bearerMatches(req.headers, token)) return true;
    refusals.refused({ reason: req.headers.authorization === undefined ? 'missing' : 'mismatch', ip: req.socket.remoteAddress });
    res.setHeader('www-authenticate', 'Bearer');
    res.setHeader('connection', 'close');
    json(res, 401, { error: 'unauthorized' });
    return false;
  };
  return { method: 'POST', path: CI_API_PATH, handler: ciApiHandler(cis, token), options: { authorize } };
}

/** Registers ciApiRoute on `http` (before it listens). */
export function addCiApiRoute(http: HttpServer, cis: CiService, token: string, logger: Logger): void {
  const route = ciApiRoute(cis, token, logger);
  http.add(route.method, route.path, route.handler, route.options);
}

/** The route's handler; audit entries name opsdesk itself (SYSTEM) as the actor. */
export function ciApiHandler(cis: CiService, token: string): RouteHandler {
  const t = translator('en');
  return async (req, res, body) => {
    if (!bearerMatches(req.headers, token)) return json(res, 401, { error: 'unauthorized' });
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const atomic = atomicFlag(new URL(req.url ?? '/', 'http://localhost').searchParams.get('atomic'));
    if (atomic === undefined) return json(res, 400, { error: 'bad_atomic', message: t('cis.error.atomic') });
    let batch;
    try {
      // Names and notes are shown on cards: nothing sent here may carry a mention node (markup.ts).
      const text = plainInput(body.toString('utf8'));
      if (contentType === 'text/csv') batch = rowsFromCsv(text);
      else if (contentType === 'application/json') batch = rowsFromJson(text);
      else return json(res, 415, { error: 'unsupported_media_type', expected: ['text/csv', 'application/json'] });
    } catch (error) {
      if (error instanceof UserError) return json(res, 400, { error: 'bad_body', message: t(error.messageKey, Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, typeof v === 'object' ? t(v.key) : v]))) });
      throw error;
    }
    const result = await cis.upsert(SYSTEM, batch.rows, { atomic, lines: batch.lines });
    const count = (outcome: string) => result.lines.filter((l) => l.outcome === outcome).length;
    json(res, atomic && !result.written ? 422 : 200, {
      written: result.written,
      created: count('created'),
      changed: count('changed'),
      unchanged: count('unchanged'),
      refused: count('refused'),
      lines: result.lines.map((l) => ({
        line: l.line,
        name: l.name,
        outcome: l.outcome,
        ...(l.id ? { id: formatCiId(l.id) } : {}),
        ...(l.refusal ? { reason: refusalText(l.refusal, t) } : {}),
      })),
    });
  };
}

/**
 * `?atomic=`: true, 1 or yes for all or nothing; false, 0, no or no parameter for per-line. Any other
 * value is refused (undefined) rather than read as "not atomic", which would write a partial batch.
 */
export function atomicFlag(value: string | null): boolean | undefined {
  if (value === null) return false;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return undefined;
}
