import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCiApiRoute } from '../../src/cis/api.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import { AuditEntry, ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink, Identity } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { request } from 'node:http';
import { Writable } from 'node:stream';

const TOKEN = 'test-webhook-token-0123456789';
const HEADER = 'name,type,environment,owner,criticality,runbook,depends_on,aliases';

/**
 * The server stops reading past its body limit: it answers 413 and drops the connection mid-upload,
 * so the client sees the 413 or, if the drop wins the race, a reset. Either way nothing is read.
 */
function statusOfOversized(url: string): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKEN}` } }, (res) => resolve(res.statusCode ?? 0));
    req.on('error', () => resolve('reset'));
    req.end('x'.repeat(1024 * 1024 + 10));
  });
}

describe('POST /api/cis', () => {
  let world: TestWorld;
  let http: HttpServer;
  let base: string;

  beforeEach(async () => {
    world = await openTestWorld();
    http = new HttpServer(createLogger('fatal', new Writable({ write: (_c, _e, done) => done() })));
    addCiApiRoute(http, world.services.cis, TOKEN, createLogger('fatal', new Writable({ write: (_c, _e, done) => done() })));
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    await http.close();
    await world.store.close();
  });

  const post = (body: string, contentType: string, options: { token?: string | null; query?: string } = {}) =>
    fetch(`${base}/api/cis${options.query ?? ''}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? TOKEN}` }) },
      body,
    });

  it('refuses requests without the token or with a wrong one, and writes nothing', async () => {
    const csv = `${HEADER}\nweb,application,production,,2,,,`;
    expect((await post(csv, 'text/csv', { token: null })).status).toBe(401);
    expect((await post(csv, 'text/csv', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('upserts CSV by name and answers per line, bad lines listed and good ones kept', async () => {
    const csv = `\uFEFF${HEADER}\r\nweb,application,production,,2,https://wiki/web,db,web.corp\r\ndb,database,production,,1,,,\r\nbad,toaster,production,,2,,,\r\n`;
    const res = await post(csv, 'text/csv; charset=utf-8');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { created: number; refused: number; lines: { line: number; name: string; outcome: string; id?: string; reason?: string }[] };
    expect(body.created).toBe(2);
    expect(body.refused).toBe(1);
    expect(body.lines).toEqual([
      { line: 2, name: 'web', outcome: 'created', id: 'CI-1' },
      { line: 3, name: 'db', outcome: 'created', id: 'CI-2' },
      { line: 4, name: 'bad', outcome: 'refused', reason: 'the type column is not valid: server, network device, application, database or service.' },
    ]);
    const changed = await post(JSON.stringify([{ name: 'WEB', type: 'application', environment: 'staging', criticality: 3 }]), 'application/json');
    const again = (await changed.json()) as { changed: number; lines: { outcome: string }[] };
    expect(again.changed).toBe(1);
    const web = await world.store.manager.findOneByOrFail(ConfigurationItem, { nameKey: 'web' });
    expect([web.name, web.environment, web.criticality]).toEqual(['WEB', 'staging', 3]);
    const audit = await world.store.manager.find(AuditEntry, { where: { action: 'ci.changed' } });
    expect(audit.map((a) => a.actorLabel)).toEqual(['opsdesk']);
  });

  it('partial updates: an omitted JSON key or CSV column keeps the field, null or an empty cell clears it', async () => {
    const full = { name: 'web', type: 'application', environment: 'production', owner: 'slack:U1', criticality: 1, runbook: 'https://wiki/web', aliases: ['web.corp'], depends_on: ['db'], notes: 'front end' };
    expect((await post(JSON.stringify([{ name: 'db', type: 'database', environment: 'production' }, full]), 'application/json')).status).toBe(200);
    const state = async () => {
      const web = await world.store.manager.findOneByOrFail(ConfigurationItem, { nameKey: 'web' });
      const aliases = (await world.store.manager.findBy(ConfigurationItemAlias, { ciId: web.id })).map((a) => a.alias);
      const deps = (await world.store.manager.findBy(ConfigurationItemLink, { ciId: web.id })).map((l) => l.dependsOnId);
      return { owner: web.ownerId !== null, criticality: web.criticality, runbook: web.runbookUrl, notes: web.notes, aliases, deps };
    };
    const kept = { owner: true, criticality: 1, runbook: 'https://wiki/web', notes: 'front end', aliases: ['web.corp'], deps: [1] };
    const omitted = await post(JSON.stringify([{ name: 'web', type: 'application', environment: 'production' }]), 'application/json');
    expect(((await omitted.json()) as { lines: { outcome: string }[] }).lines.map((l) => l.outcome)).toEqual(['unchanged']);
    expect(await state()).toEqual(kept);
    // CSV without the owner, runbook, aliases and depends_on columns keeps them too.
    await post('name,type,environment,criticality\nweb,application,production,1\n', 'text/csv');
    expect(await state()).toEqual(kept);
    const cleared = await post(JSON.stringify([{ name: 'web', type: 'application', environment: 'production', owner: null, runbook: null, aliases: null, notes: null, depends_on: null }]), 'application/json');
    expect(((await cleared.json()) as { lines: { outcome: string; reason?: string }[] }).lines).toEqual([{ line: 1, name: 'web', outcome: 'changed', id: 'CI-2' }]);
    expect(await state()).toEqual({ owner: false, criticality: 1, runbook: null, notes: null, aliases: [], deps: [] });
    await post(JSON.stringify([full]), 'application/json');
    await post(`${HEADER}\nweb,application,production,,1,,,\n`, 'text/csv');
    expect(await state()).toEqual({ owner: false, criticality: 1, runbook: null, notes: 'front end', aliases: [], deps: [] });
  });

  it('reads ?atomic=1 and yes as atomic, and refuses any value it does not know with 400', async () => {
    const batch = JSON.stringify([{ name: 'a', type: 'server', environment: 'production' }, { name: 'b', type: 'server', environment: 'mars' }]);
    for (const value of ['1', 'yes', 'TRUE']) expect((await post(batch, 'application/json', { query: `?atomic=${value}` })).status).toBe(422);
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
    for (const value of ['on', 'y', '']) {
      const res = await post(batch, 'application/json', { query: `?atomic=${value}` });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('bad_atomic');
    }
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
    expect((await post(batch, 'application/json', { query: '?atomic=no' })).status).toBe(200);
    expect(await world.store.manager.count(ConfigurationItem)).toBe(1);
  });

  it('with ?atomic=true writes nothing unless every line is good', async () => {
    const res = await post(JSON.stringify({ items: [{ name: 'a', type: 'server', environment: 'production' }, { name: 'b', type: 'server', environment: 'mars' }] }), 'application/json', { query: '?atomic=true' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { written: boolean; lines: { outcome: string }[] };
    expect(body.written).toBe(false);
    expect(body.lines.map((l) => l.outcome)).toEqual(['created', 'refused']);
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('with ?atomic=true and every line good, answers each created line with its id, as the per-line answer does', async () => {
    const csv = `${HEADER}\nweb,application,production,,2,,db,\ndb,database,production,,1,,,\n`;
    const res = await post(csv, 'text/csv', { query: '?atomic=true' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { written: boolean; created: number; lines: { line: number; name: string; outcome: string; id?: string }[] };
    expect(body.written).toBe(true);
    expect(body.created).toBe(2);
    const items = await world.store.manager.find(ConfigurationItem, { order: { id: 'ASC' } });
    const idOf = (name: string) => `CI-${items.find((i) => i.name === name)?.id ?? 'missing'}`;
    expect(body.lines).toEqual([
      { line: 2, name: 'web', outcome: 'created', id: idOf('web') },
      { line: 3, name: 'db', outcome: 'created', id: idOf('db') },
    ]);
  });

  it('with ?atomic=true and a refused line, still gives the id of each good line that names an existing item', async () => {
    await post(JSON.stringify([{ name: 'db', type: 'database', environment: 'production' }]), 'application/json');
    const db = await world.store.manager.findOneByOrFail(ConfigurationItem, { name: 'db' });
    const res = await post(JSON.stringify([{ name: 'db', type: 'database', environment: 'staging' }, { name: 'new', type: 'server', environment: 'production' }, { name: 'bad', type: 'server', environment: 'mars' }]), 'application/json', { query: '?atomic=true' });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { written: boolean; lines: { line: number; outcome: string; id?: string }[] };
    expect(body.written).toBe(false);
    expect(body.lines.map((l) => [l.outcome, l.id])).toEqual([['changed', `CI-${db.id}`], ['created', undefined], ['refused', undefined]]);
    expect((await world.store.manager.findOneByOrFail(ConfigurationItem, { id: db.id })).environment).toBe('production');
  });

  // Commands never take `-cmd` or `.x` as a name (typedName); a platform:id owner follows its platform's id rule too.
  it('refuses an owner whose platform:id cannot be an account there, and creates no person for it', async () => {
    const accounts = async () => (await world.store.manager.find(Identity)).map((i) => `${i.platform}:${i.userId}`).sort();
    const before = await accounts();
    const csv = [
      HEADER,
      'a,server,production,shell:-cmd,2,,,',
      'b,server,production,shell:.x,2,,,',
      'c,server,production,slack:hello,2,,,',
      'd,server,production,discord:42,2,,,',
      'e,server,production,shell:Li.Wei,2,,,',
      'f,server,production,slack:U0LIWEI,2,,,',
      'g,server,production,discord:123456789012345678,2,,,',
    ].join('\n');
    const body = (await (await post(csv, 'text/csv')).json()) as { created: number; refused: number; lines: { name: string; outcome: string; reason?: string }[] };
    expect(body.lines.filter((l) => l.outcome === 'refused').map((l) => l.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(body.lines[0]?.reason).toBe(
      'shell:-cmd names no account: a Slack id starts with U or W (slack:U123), a Discord id is 17 to 20 digits, a shell name uses letters, digits, dots, dashes and underscores (shell:li.wei).',
    );
    expect(body.created).toBe(3);
    // The shell's events carry its names in lower case: shell:Li.Wei is the person who types /as li.wei.
    expect(await accounts()).toEqual([...before, 'discord:123456789012345678', 'shell:li.wei', 'slack:U0LIWEI'].sort());

    const atomic = await post(JSON.stringify([{ name: 'h', type: 'server', environment: 'production', owner: 'shell:-rf' }]), 'application/json', { query: '?atomic=true' });
    expect(((await atomic.json()) as { written: boolean }).written).toBe(false);
    expect(await accounts()).toEqual([...before, 'discord:123456789012345678', 'shell:li.wei', 'slack:U0LIWEI'].sort());
    expect(await world.store.manager.count(ConfigurationItem)).toBe(3);
  });

  it('refuses such an owner in the add form too, on the owner field', async () => {
    const admin = await world.actor('admin');
    const values = { name: 'mail', type: 'server', environment: 'production', criticality: '2', runbook: '', aliases: '', notes: '', owner: 'shell:-cmd' };
    await expect(world.services.cis.add(admin, values)).rejects.toMatchObject({ messageKey: 'cis.refused.badOwner', field: 'owner' });
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
    expect(await world.store.manager.count(Identity, { where: { platform: 'shell', userId: '-cmd' } })).toBe(0);
  });

  it('refuses other media types, malformed bodies and oversized bodies', async () => {
    expect((await post('name\nx', 'text/plain')).status).toBe(415);
    expect((await post('{"items": 3}', 'application/json')).status).toBe(400);
    expect((await post(`${HEADER}\n"unclosed,server`, 'text/csv')).status).toBe(400);
    expect([413, 'reset']).toContain(await statusOfOversized(`${base}/api/cis`));
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('answers 401 from the headers alone when the token is missing, without reading the body', async () => {
    // A body that never ends: the answer can only come before the body is read.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/api/cis`, { method: 'POST', headers: { 'content-type': 'text/csv' } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.write('x'.repeat(2 * 1024 * 1024));
    });
    expect(status).toBe(401);
  });
});
