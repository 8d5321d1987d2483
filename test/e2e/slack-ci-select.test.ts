// The affected system as a searchable choice on Slack (issue #12 item 2): with 150 configuration
// items the report form holds an external_select, Slack's options requests (block_suggestion,
// signed, at the same /slack/events URL) are answered by the bot process within Slack's limits,
// and the option picked links the fault to that item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { FakeSlackServer, SlackBotDriver, type SlackUser } from '../fakes/slack/index.js';
import { BotProcess } from '../helpers/bot-process.js';
import { ciCatalogRows } from '../helpers/ci-catalog.js';
import { tempSqliteUrl } from '../helpers/db.js';

const SIGNING_SECRET = 'e2e-signing-secret-ci-select-01';
const zh = translator('zh-CN');
const WEBHOOK_TOKEN = 'e2e-webhook-token-ci-select-0123';
const FAULTS = 'C0FAULTS';
const ADMIN: SlackUser = { id: 'U0ADMIN', name: 'admin' };
const ANNA: SlackUser = { id: 'U0ANNA', name: 'anna' };
const MEI: SlackUser = { id: 'U0MEI', name: 'mei' };
const REPORT = { title: 'Replication stopped', description: 'The replica is 2 hours behind', category: 'software', impact: '2', urgency: '2' };

function labels(options: Record<string, unknown>[]): string[] {
  return options.map((o) => String((o.text as { text?: string } | undefined)?.text));
}

describe('affected system as an external_select, through the bot process and the fake Slack server', () => {
  let fake: FakeSlackServer;
  let bot: BotProcess;
  let driver: SlackBotDriver;
  let base: string;

  const textOf = (m: { text: string; blocks: unknown[] } | undefined) => (m ? `${m.text}\n${JSON.stringify(m.blocks)}` : '');
  const card = (id: string) => fake.messagesIn(FAULTS).find((m) => m.text.includes(`${id} `));

  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    fake.addUser({ ...MEI, locale: 'zh-CN' });
    bot = new BotProcess({
      DATABASE_URL: tempSqliteUrl('opsdesk-slack-ci-select-'),
      PORT: '0',
      SLACK_BOT_TOKEN: fake.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      ADMIN_USERS: `slack:${ADMIN.id}`,
      FAULT_CHANNEL: `slack:${FAULTS}`,
      WEBHOOK_TOKEN,
    });
    const port = (await bot.waitForLog(/"port":(\d+),"msg":"http server listening"/))[1];
    await bot.waitForLog(/opsdesk started/);
    base = `http://127.0.0.1:${port}`;
    driver = new SlackBotDriver({ fake, eventsUrl: `${base}/slack/events`, signingSecret: SIGNING_SECRET });
    const imported = await fetch(`${base}/api/cis?atomic=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_TOKEN}` },
      body: JSON.stringify(ciCatalogRows()),
    });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { created: number }).created).toBe(150);
  });
  afterAll(async () => {
    await bot?.kill();
    await fake?.stop();
  });

  it('refuses POST /api/cis without the token from the headers: 401 even for a body past the limit, never 413', async () => {
    const answer = await fetch(`${base}/api/cis`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'x'.repeat(2 * 1024 * 1024) }).catch(() => undefined);
    // The server answers before reading the body; a client still sending may see the connection close instead.
    if (answer) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
    const small = await fetch(`${base}/api/cis`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'name,type\nx,server\n' });
    expect(small.status).toBe(401);
    expect(small.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('opens the report form with a searchable choice instead of 150 static options', async () => {
    const command = await driver.slashCommand({ command: '/fault', user: ANNA });
    expect(command.problems).toEqual([]);
    const view = fake.lastView()?.view;
    const blocks = (view?.blocks ?? []) as { block_id?: string; element?: Record<string, unknown> }[];
    const element = blocks.find((b) => b.block_id === 'affectedSystem')?.element;
    expect(element).toMatchObject({ type: 'external_select', action_id: 'suggest:ci:affectedSystem', min_query_length: 1 });
    expect(element?.options).toBeUndefined();
  });

  it('answers options requests ranked, in Chinese too, within 100 options, with the typed text last', async () => {
    const chinese = await driver.suggest({ blockId: 'affectedSystem', query: '数据库', user: ANNA });
    expect(chinese.status).toBe(200);
    expect(chinese.problems).toEqual([]);
    expect(labels(chinese.options)).toEqual(['数据库主库', '数据库从库', '核心数据库', '"数据库" (as typed)']);

    const alias = await driver.suggest({ blockId: 'affectedSystem', query: 'MAIL', user: ANNA });
    expect(labels(alias.options).slice(0, 5)).toEqual(['mail', 'mail-gateway', '邮件服务器 (mail-01)', 'webmail', 'outbound-relay (smtp-mail)']);
    // "mail" is an item's exact name: the typed text adds nothing.
    expect(alias.options).toHaveLength(5);

    const hosts = await driver.suggest({ blockId: 'affectedSystem', query: 'host', user: ANNA });
    expect(hosts.problems).toEqual([]);
    expect(hosts.options).toHaveLength(100);
    expect(hosts.options[0]?.value).toBe('host-001');
    expect(labels(hosts.options).at(-1)).toBe('"host" (as typed)');
  });

  it('refuses a forged options request', async () => {
    const forged = await driver.suggest({ blockId: 'affectedSystem', query: 'pg', user: ANNA }, { signature: 'forged' });
    expect(forged.status).toBe(401);
    expect(forged.options).toEqual([]);
  });

  it('links the fault to the item picked from the options, and shows it on the card', async () => {
    const found = await driver.suggest({ blockId: 'affectedSystem', query: 'pg-main', user: ANNA });
    expect(found.options[0]).toMatchObject({ value: '数据库主库', text: { type: 'plain_text', text: '数据库主库 (pg-main)' } });
    const submitted = await driver.submitView({ values: { ...REPORT, affectedSystem: '数据库主库' }, user: ANNA });
    expect(submitted.status).toBe(200);
    expect(submitted.problems).toEqual([]);
    const announced = await fake.waitFor(() => card('INC-1'), 5_000);
    expect(textOf(announced)).toMatch(/CI-\d+ 数据库主库 · criticality 2/);
    const shown = await driver.slashCommand({ command: '/ops', text: 'ci show pg-main', user: ADMIN });
    expect(JSON.stringify(shown.json)).toContain('INC-1');
  });

  it('keeps text that names no item as free text, as the text field did', async () => {
    await driver.slashCommand({ command: '/fault', user: ANNA });
    const typed = await driver.suggest({ blockId: 'affectedSystem', query: 'coffee machine', user: ANNA });
    expect(typed.options).toEqual([{ text: { type: 'plain_text', text: '"coffee machine" (as typed)', emoji: true }, value: 'coffee machine' }]);
    const submitted = await driver.submitView({ values: { ...REPORT, title: 'No coffee', affectedSystem: 'coffee machine' }, user: ANNA });
    expect(submitted.problems).toEqual([]);
    const announced = await fake.waitFor(() => card('INC-2'), 5_000);
    expect(textOf(announced)).toContain('coffee machine');
    expect(textOf(announced)).not.toMatch(/CI-\d+ /);
  });

  it("offers the as-typed choice in the person's language: option requests carry no locale, the stored one is used", async () => {
    await driver.slashCommand({ command: '/fault', user: MEI });
    const opened = fake.views.at(-1)?.view as { title?: { text?: string } } | undefined;
    expect(opened?.title?.text).toBe(zh('faults.form.reportTitle'));
    const answer = await driver.suggest({ blockId: 'affectedSystem', query: 'mail-99', user: MEI });
    expect(answer.problems).toEqual([]);
    expect(labels(answer.options)).toContain(zh('slack.suggest.asTyped', { text: 'mail-99' }));
  });
});
