import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkRecord } from '../../src/cis/records.js';
import { AuditEntry, ConfigurationItem, ConfigurationItemLink } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';
import { mentionNode } from '../../src/chat/markup.js';

const form = (values: Partial<Record<string, string>>) => ({ type: 'server', environment: 'production', criticality: '2', runbook: '', aliases: '', notes: '', ...values }) as Record<string, string>;

describe('configuration items', () => {
  let world: TestWorld;
  let bot: ReturnType<typeof testRuntime>;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    bot = testRuntime(world);
    await bot.command('UADMIN', '/ops', 'role add <@UMGR|mgr> manager');
    await bot.command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
  });
  afterEach(async () => world.store.close());

  it('adds through the form, unique by name whatever the case, and shows the item', async () => {
    const opened = await bot.command('UMGR', '/ops', 'ci add');
    expect(opened.type === 'form' && opened.form.formId).toBe('ci.add');
    const added = await bot.submit('UMGR', 'ci.add', '', form({ name: 'mail-01', owner: 'UENG', runbook: 'https://wiki.example/mail', aliases: 'mail.corp, smtp' }));
    expect(replyText(added)).toBe('CI-1 mail-01 added.');
    const again = await bot.submit('UMGR', 'ci.add', '', form({ name: 'MAIL-01' }));
    expect(again).toEqual({ type: 'fieldErrors', errors: { name: 'the name MAIL-01 is already used by mail-01 (CI-1).' }, locale: 'en' });
    const shown = replyText(await bot.command('UENG', '/ops', 'ci show SMTP'));
    expect(shown).toContain('CI-1 · mail-01');
    expect(shown).toContain(`Owner: ${mentionNode('UENG', 'ueng')}`);
    expect(shown).toContain('Runbook: https://wiki.example/mail');
    expect(shown).toContain('Aliases: mail.corp, smtp');
    const audit = await world.store.manager.find(AuditEntry, { where: { action: 'ci.created' } });
    expect(audit.map((a) => a.recordId)).toEqual(['CI-1']);
  });

  it('refuses a runbook that is not an http(s) link, and changes nothing', async () => {
    const reply = await bot.submit('UMGR', 'ci.add', '', form({ name: 'db-01', runbook: 'javascript:alert(1)' }));
    expect(reply.type).toBe('fieldErrors');
    expect(replyText(reply)).toContain('the runbook column is not valid');
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('lets engineers read and only managers and admins write', async () => {
    expect(replyText(await bot.command('UENG', '/ops', 'ci add'))).toContain('/ops ci add needs the manager role');
    expect(replyText(await bot.command('UANY', '/ops', 'ci list'))).toContain('/ops ci list needs the engineer role');
    await bot.submit('UMGR', 'ci.add', '', form({ name: 'web' }));
    expect(replyText(await bot.submit('UENG', 'ci.add', '', form({ name: 'web-2' })))).toContain('Only managers and admins can change configuration items');
    expect(replyText(await bot.command('UENG', '/ops', 'ci list server production'))).toContain('CI-1 · web · Server · Production · criticality 2');
    for (const words of ['production', 'production server', 'server']) expect(replyText(await bot.command('UENG', '/ops', `ci list ${words}`))).toContain('CI-1 · web · Server · Production');
    expect(replyText(await bot.command('UENG', '/ops', 'ci list staging'))).not.toContain('CI-1');
    expect(replyText(await bot.command('UENG', '/ops', 'ci list staging production'))).toBe('Give at most one type and one environment, in any order: /ops ci list [type] [environment].');
  });

  it('links depends-on and refuses a link that closes a cycle, naming the path', async () => {
    for (const name of ['app', 'db', 'storage']) await bot.submit('UMGR', 'ci.add', '', form({ name }));
    expect(replyText(await bot.command('UMGR', '/ops', 'ci link app depends-on db'))).toBe('CI-1 app now depends on CI-2 db.');
    expect(replyText(await bot.command('UMGR', '/ops', 'ci link CI-2 depends-on storage'))).toBe('CI-2 db now depends on CI-3 storage.');
    expect(replyText(await bot.command('UMGR', '/ops', 'ci link storage depends-on app'))).toBe(
      'that would make a dependency cycle: storage → app → db → storage.',
    );
    expect(replyText(await bot.command('UMGR', '/ops', 'ci link app depends-on app'))).toContain('cycle: app → app');
    expect(await world.store.manager.count(ConfigurationItemLink)).toBe(2);
    const storage = replyText(await bot.command('UENG', '/ops', 'ci show storage'));
    expect(storage).toContain('Affected if it fails: CI-1 app, CI-2 db');
    expect(replyText(await bot.command('UMGR', '/ops', 'ci unlink app depends-on db'))).toBe('CI-1 app no longer depends on CI-2 db.');
  });

  it('refuses removal while open records concern the item, naming them', async () => {
    await bot.submit('UMGR', 'ci.add', '', form({ name: 'printer-3f' }));
    const reporter = await world.actor('ann');
    const fault = await world.services.faults.report(reporter, { title: 'Paper jam', description: 'jammed', category: 'hardware', impact: 3, urgency: 3 });
    await world.store.transaction((m) => linkRecord(m, 'fault', fault.id, [1]));
    expect(replyText(await bot.command('UMGR', '/ops', 'ci remove printer-3f'))).toBe(
      `printer-3f cannot be removed while these records are open: INC-${fault.id}. Resolve or close them first.`,
    );
    expect(await world.store.manager.count(ConfigurationItem)).toBe(1);
    const engineer = await world.actor('eng2');
    await world.services.faults.resolve({ ...engineer, roles: ['engineer'] }, fault.id, { rootCause: 'paper', resolutionSteps: 'removed it' });
    // Resolved is not final: the reporter can reopen it, and it would come back without its item.
    expect(replyText(await bot.command('UMGR', '/ops', 'ci remove CI-1'))).toBe(
      `printer-3f cannot be removed while these resolved or fulfilled records can still be reopened: INC-${fault.id}. Close them first.`,
    );
    expect(await world.store.manager.count(ConfigurationItem)).toBe(1);
    await world.services.faults.close(reporter, fault.id);
    expect(replyText(await bot.command('UMGR', '/ops', 'ci remove CI-1'))).toBe('CI-1 printer-3f removed.');
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('imports CSV: good lines kept, each bad line named with its reason', async () => {
    const csv = [
      'name,type,environment,owner,criticality,runbook,depends_on,aliases',
      'core-switch,network device,production,slack:UENG,1,https://wiki/sw,,sw1',
      '"web, front",application,production,,2,,core-switch,',
      'db-main,database,production,,1,,"core-switch;web-back",db',
      'mail,server,moon,,2,,,',
      'app,application,staging,,2,ftp://x,,',
      'cache,database,staging,,2,,core-swich,',
      'db-main-replica,database,production,,2,,,SW1',
      'nobody-owned,server,production,Ghost Person,3,,,',
      'printer,server,production,,high,,,',
    ].join('\r\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
    expect(reply).toContain('1 created, 0 changed, 0 unchanged, 8 refused.');
    expect(reply).toContain('Line 3 (web, front) refused: the name column is not valid');
    expect(reply).toContain('Line 4 (db-main) refused: no configuration item is called web-back');
    expect(reply).toContain('Line 5 (mail) refused: the environment column is not valid');
    expect(reply).toContain('Line 6 (app) refused: the runbook column is not valid');
    expect(reply).toContain('Line 7 (cache) refused: no configuration item is called core-swich (closest: core-switch).');
    expect(reply).toContain('Line 8 (db-main-replica) refused: the alias SW1 is already used by core-switch.');
    expect(reply).toContain('Line 9 (nobody-owned) refused: no person is known as Ghost Person');
    // A value given but not valid is not called empty.
    expect(reply).toContain('Line 10 (printer) refused: the criticality column is not valid: 1 (high), 2 or 3 (low).');
    const names = (await world.store.manager.find(ConfigurationItem, { order: { id: 'ASC' } })).map((i) => i.name);
    expect(names).toEqual(['core-switch']);
  });

  it('imports forward references in one batch and reports changed and unchanged lines', async () => {
    const csv = ['name,type,environment,owner,criticality,runbook,depends_on,aliases', 'app,application,production,,2,,db,', 'db,database,production,,1,,,'].join('\n');
    expect(replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }))).toContain('2 created, 0 changed');
    const again = csv.replace('db,database,production,,1', 'db,database,production,,3');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv: again, atomic: 'no' }));
    expect(reply).toContain('0 created, 1 changed, 1 unchanged, 0 refused.');
    expect(replyText(await bot.command('UENG', '/ops', 'ci show app'))).toContain('Depends on: CI-2 db');
  });

  it('in atomic mode writes nothing when a line is refused', async () => {
    const csv = ['name,type,environment,owner,criticality,runbook,depends_on,aliases', 'a,server,production,,2,,,', 'b,server,nowhere,,2,,,'].join('\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'yes' }));
    expect(reply).toContain('1 good, 1 refused.\nNothing was written');
    expect(reply).toContain('Line 3 (b) refused');
    // The good line was not created: no "created", no empty id.
    expect(reply).not.toContain('created');
    expect(reply).not.toContain('Line 2 (a)');
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
    expect(await world.store.manager.count(AuditEntry, { where: { action: 'ci.created' } })).toBe(0);
  });

  it('refuses a cycle made within one import, keeping the other lines', async () => {
    const header = 'name,type,environment,owner,criticality,runbook,depends_on,aliases';
    await bot.submit('UMGR', 'ci.import', '', { csv: [header, 'x,server,production,,2,,,', 'y,server,production,,2,,x,'].join('\n'), atomic: 'no' });
    const csv = [header, 'z,server,production,,2,,,', 'x,server,production,,2,,y,', 'x,server,production,,3,,,'].join('\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
    expect(reply).toContain('Line 3 (x) refused: that would make a dependency cycle: x → y → x.');
    // The second x line repeats a name of this batch: refused too (the first rule of a batch wins).
    expect(reply).toContain('Line 4 (x) refused: the name x is repeated from line 3.');
    expect(reply).toContain('1 created, 0 changed, 0 unchanged, 2 refused.');
    expect(await world.store.manager.count(ConfigurationItemLink)).toBe(1);
  });

  it('refuses every line of a cycle made within one import, each naming the path from its own item', async () => {
    const header = 'name,type,environment,owner,criticality,runbook,depends_on,aliases';
    const csv = [
      header,
      'a,server,production,,2,,b,',
      'b,server,production,,2,,a,',
      'p,server,production,,2,,q,',
      'q,server,production,,2,,r,',
      'r,server,production,,2,,P,',
      'broken,server,mars,,2,,,',
      'needs-broken,server,production,,2,,broken,',
      'fine,server,production,,2,,,',
    ].join('\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
    expect(reply).toContain('Line 2 (a) refused: that would make a dependency cycle: a → b → a.');
    expect(reply).toContain('Line 3 (b) refused: that would make a dependency cycle: b → a → b.');
    expect(reply).toContain('Line 4 (p) refused: that would make a dependency cycle: p → q → r → p.');
    expect(reply).toContain('Line 5 (q) refused: that would make a dependency cycle: q → r → p → q.');
    expect(reply).toContain('Line 6 (r) refused: that would make a dependency cycle: r → p → q → r.');
    // A line on a refused line that closed no cycle says so, with the CSV line of that line.
    expect(reply).toContain('Line 8 (needs-broken) refused: it depends on broken, which line 7 would have added but was refused.');
    expect(reply).toContain('1 created, 0 changed, 0 unchanged, 7 refused.');
    expect(reply).not.toContain('closest');
    expect((await world.store.manager.find(ConfigurationItem)).map((c) => c.name)).toEqual(['fine']);
    expect(await world.store.manager.count(ConfigurationItemLink)).toBe(0);
  });

  it('says which criticalities are valid, and leaves out the closest-names hint when no name is close', async () => {
    const header = 'name,type,environment,owner,criticality,runbook,depends_on,aliases';
    const csv = [header, 'k,server,production,,7,,,', 'solo,server,production,,2,,no-such-thing-anywhere,'].join('\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
    expect(reply).toContain('Line 2 (k) refused: the criticality column is not valid: 1 (high), 2 or 3 (low).');
    expect(reply).toContain('Line 3 (solo) refused: no configuration item is called no-such-thing-anywhere.');
    expect(reply).not.toContain('(closest');
    expect(replyText(await bot.submit('UMGR', 'ci.add', '', form({ name: 'crit', criticality: '7' })))).toContain('1 (high), 2 or 3 (low)');
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('refuses a malformed CSV or a wrong header with a clear message', async () => {
    expect(replyText(await bot.submit('UMGR', 'ci.import', '', { csv: 'name,type\n"a,server', atomic: 'no' }))).toContain('The CSV cannot be read');
    expect(replyText(await bot.submit('UMGR', 'ci.import', '', { csv: 'host,kind\na,server', atomic: 'no' }))).toBe(
      'The CSV header has unknown columns: host, kind. The columns are name,type,environment,owner,criticality,runbook,depends_on,aliases.',
    );
    expect(replyText(await bot.submit('UMGR', 'ci.import', '', { csv: 'type,environment\nserver,production', atomic: 'no' }))).toContain('The CSV needs the header line');
    expect(await world.store.manager.count(ConfigurationItem)).toBe(0);
  });

  it('refuses a name repeated in one batch (any case) on the later line, whether or not the item exists', async () => {
    const csv = ['name,type,environment', 'web,server,production', 'WEB,server,staging', 'web,server,development'].join('\n');
    for (let round = 0; round < 2; round++) {
      const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
      expect(reply).toContain('Line 3 (WEB) refused: the name WEB is repeated from line 2.');
      expect(reply).toContain('Line 4 (web) refused: the name web is repeated from line 2.');
    }
    const items = await world.store.manager.find(ConfigurationItem);
    expect(items.map((c) => [c.name, c.environment])).toEqual([['web', 'production']]);
  });

  it('refuses a line with too few or too many cells by its number and keeps the good lines', async () => {
    const csv = ['name,type,environment', 'good-1,server,production', 'short,server', 'long,server,production,extra', 'good-2,server,staging'].join('\n');
    const reply = replyText(await bot.submit('UMGR', 'ci.import', '', { csv, atomic: 'no' }));
    expect(reply).toContain('Line 3 (short) refused: the line has 2 cells where the header has 3.');
    expect(reply).toContain('Line 4 (long) refused: the line has 4 cells where the header has 3.');
    const names = (await world.store.manager.find(ConfigurationItem, { order: { id: 'ASC' } })).map((c) => c.name);
    expect(names).toEqual(['good-1', 'good-2']);
  });
});
