import MarkdownIt from 'markdown-it';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import type { ChatMessage } from '../../src/chat/model.js';
import { faultMarkdown } from '../../src/exports/fault-markdown.js';
import { parseAlertmanager } from '../../src/monitoring/normalize.js';
import { SYSTEM } from '../../src/people/actor.js';
import { appendEvent } from '../../src/records/timeline.js';
import { OutboxMessage } from '../../src/store/entities/index.js';
import { amBody } from '../helpers/alerts.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';

describe('/request export REQ-n and /change export CHG-n', () => {
  let world: TestWorld;
  let bot: ReturnType<typeof testRuntime>;

  beforeEach(async () => {
    world = await openTestWorld({ admins: ['slack:UADMIN'] });
    bot = testRuntime(world);
    await bot.command('UADMIN', '/ops', 'role add <@UENG|eng> engineer');
  });
  afterEach(async () => world.store.close());

  const markdownSentTo = async (userId: string) => {
    const rows = await world.store.manager.find(OutboxMessage, { where: { targetId: userId, targetKind: 'dm' }, order: { id: 'ASC' } });
    const withFile = rows.map((r) => JSON.parse(r.payload) as ChatMessage).filter((m) => m.attachment);
    return withFile.map((m) => [m.attachment?.name, Buffer.from(m.attachment?.base64 ?? '', 'base64').toString('utf8')] as const);
  };

  it('renders hostile user text as typed: no forged headings, rows, links or HTML; alert lines labelled as in /fault show', async () => {
    const ann = await world.actor('ann');
    const title = '[x](javascript:alert(1)) <b>bold</b> # not a heading';
    const description = ['first line', '## Timeline', '| 2026-01-01 | admin | closed | forged |', '<script>alert(1)</script>', '- not a list', '1. not a list', '    not code', '---', '*not emphasis* &amp; `code`'].join('\n');
    const fault = await world.services.faults.report(ann, { title, description, category: 'hardware', impact: 2, urgency: 2 });
    await world.store.transaction((m) =>
      appendEvent(m, { recordKind: 'fault', recordId: fault.id, actor: SYSTEM, kind: 'alert_firing', fromState: null, toState: null, note: 'DiskFull | <i>x</i>', at: world.clock.now() }),
    );
    await bot.command('UENG', '/fault', `export INC-${fault.id}`);
    const [, md] = (await markdownSentTo('UENG'))[0] ?? [];
    const html = new MarkdownIt({ html: true, linkify: true }).render(md ?? '');
    expect(html.match(/<h1>/g)).toHaveLength(1);
    expect(html.match(/<h2>[^<]*<\/h2>/g)).toEqual(['<h2>Description</h2>', '<h2>Timeline</h2>']);
    expect(html).not.toMatch(/<(a|script|b|i|em|code|ul|ol|li|pre|hr)[\s>]/);
    // Two timeline rows (reported, alert) and the header: the forged row is text in the description.
    expect(html.match(/<tr>/g)).toHaveLength(1 + 8 + 1 + 2);
    const text = (fragment: string) => fragment.replace(/<br>\n?/g, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text(/<h1>(.*)<\/h1>/.exec(html)?.[1] ?? '')).toBe(`INC-${fault.id} · ${title}`);
    const paragraph = /<h2>Description<\/h2>\n<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(text(paragraph).replace(/\u00a0/g, ' ')).toBe(description);
    expect(md).toContain('| alert firing | DiskFull \\| \\<i\\>x\\</i\\> |');
    expect(text(html)).toContain('DiskFull | <i>x</i>');
  });

  it('lists a monitoring fault\'s alerts, as its card and /fault show do, with translated labels', async () => {
    const parsed = parseAlertmanager(amBody('{}:{alertname="DiskFull"}', [
      { name: 'DiskFull', fingerprint: 'a000000000000001', summary: 'Disk /var is 97% full' },
      { name: 'DiskFull', fingerprint: 'a000000000000002', status: 'resolved', summary: 'Disk /tmp is 91% full' },
    ]));
    if (!parsed.ok) throw new Error(parsed.reason);
    const { faultId } = await world.services.alerts.ingest(parsed.notification);
    await bot.command('UENG', '/fault', `export INC-${faultId ?? 0}`);
    const [, md] = (await markdownSentTo('UENG'))[0] ?? [];
    const html = new MarkdownIt().render(md ?? '');
    expect(html.match(/<h2>[^<]*<\/h2>/g)).toEqual(['<h2>Description</h2>', '<h2>Alerts</h2>', '<h2>Timeline</h2>']);
    const section = /<h2>Alerts<\/h2>\n<p>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<br>/g, '') ?? '';
    expect(section.split('\n')).toEqual(['Alerts: 1 firing, 1 resolved', '🔥 firing DiskFull: Disk /var is 97% full (a000000000000001)', '✅ resolved DiskFull: Disk /tmp is 91% full (a000000000000002)']);
    const zh = faultMarkdown(await world.services.faultQueries.detail(faultId ?? 0), translator('zh-CN'), 'UTC');
    expect(zh).toContain('## 告警\n\n告警：1 条触发中，1 条已恢复\\\n🔥 触发中 DiskFull：Disk /var is 97% full（a000000000000001）');
  });

  it('sends a request with its whole timeline as Markdown to engineers only', async () => {
    const anna = await world.actor('anna');
    const request = await world.services.requests.submit(anna, { title: 'Laptop | 16 GB', details: 'for the\nnew hire', requestType: 'hardware', forWhom: undefined, importance: 2 as const, urgency: 2 as const });
    world.clock.advance(600_000);
    const eng = await world.services.people.resolve({ platform: 'slack', userId: 'UENG', displayName: 'eng' });
    await world.services.requests.take(eng, request.id);
    await world.services.requests.fulfil(eng, request.id, 'Handed over a ThinkPad');
    expect(replyText(await bot.command('UANY', '/request', `export REQ-${request.id}`))).toContain('/request export needs the engineer role');
    expect(replyText(await bot.command('UENG', '/request', 'export REQ-99'))).toContain('REQ-99');
    expect(replyText(await bot.command('UENG', '/request', `export REQ-${request.id}`))).toBe(`REQ-${request.id} as Markdown is on its way to you as a direct message.`);
    const [name, md] = (await markdownSentTo('UENG'))[0] ?? [];
    expect(name).toBe(`REQ-${request.id}.md`);
    expect(md).toContain(`# REQ-${request.id} · Laptop \\| 16 GB`);
    expect(md).toContain('## Details\n\nfor the\\\nnew hire');
    expect(md).toContain('## What was done\n\nHanded over a ThinkPad');
    expect(md).toContain('| 2026-11-23 09:00 | anna | submitted |  |');
    expect(md).toContain('| 2026-11-23 09:10 | ueng | fulfilled |');
  });

  it('sends a change with its whole timeline as Markdown', async () => {
    const eng = await world.services.people.resolve({ platform: 'slack', userId: 'UENG', displayName: 'eng' });
    const change = await world.services.changes.request(eng, {
      title: 'Upgrade | PostgreSQL',
      content: 'pg_upgrade 15 -> 16',
      reason: 'support ends',
      expectedImpact: 'read-only 15 min',
      risk: 'low',
      type: 'standard',
      testPlan: 'staging',
      rollbackPlan: 'snapshot',
      window: { start: new Date('2026-11-25T21:00:00Z'), end: new Date('2026-11-25T22:00:00Z') },
      configItems: ['db-01'],
    });
    world.clock.set(new Date('2026-11-25T21:05:00Z'));
    await world.services.changes.start(eng, change.id);
    expect(replyText(await bot.command('UENG', '/change', `export CHG-${change.id}`))).toBe(`CHG-${change.id} as Markdown is on its way to you as a direct message.`);
    const [name, md] = (await markdownSentTo('UENG'))[0] ?? [];
    expect(name).toBe(`CHG-${change.id}.md`);
    expect(md).toContain(`# CHG-${change.id} · Upgrade \\| PostgreSQL`);
    expect(md).toContain('| Risk | Low risk |');
    expect(md).toContain('| Configuration items | db-01 |');
    expect(md).toContain('| 2026-11-23 09:00 | opsdesk | approval complete | standard change: pre-approved |');
    expect(md).toContain('## Rollback plan\n\nsnapshot');
    expect(md).toMatch(/\| 2026-11-23 09:00 \| ueng \| submitted \|/);
    expect(md).toMatch(/\| 2026-11-25 21:05 \| ueng \| started \|/);
  });
});
