// The affected system on Discord (issue #12 item 2): a modal cannot hold a searchable choice, so
// `/fault report system:` autocompletes over the configuration items, and the modal's text field,
// prefilled with what was picked, is matched by name or alias. Run in HTTP and gateway mode.
import { expect, it } from 'vitest';
import { customIdsOf, textOf } from '../fakes/discord/index.js';
import { ciCatalogRows } from '../helpers/ci-catalog.js';
import { ANNA, FAULTS, OPS, answeredWell, messageOf, modalOf, type DiscordWorld } from './discord-scenario.js';

export const CI_WEBHOOK_TOKEN = 'e2e-webhook-token-discord-ci-0123';

interface Choice {
  name: string;
  value: string;
}

function choicesOf(result: { response?: { type: number; data?: Record<string, unknown> } }): Choice[] {
  expect(result.response?.type).toBe(8);
  return (result.response?.data?.choices ?? []) as Choice[];
}

export function ciAutocompleteScenarioOnDiscord(world: () => DiscordWorld): void {
  const typing = (typed: string) => world().driver.autocomplete({ user: ANNA, channelId: OPS, command: 'fault report', focused: 'system', typed });

  it('imports 150 configuration items through POST /api/cis', async () => {
    const imported = await fetch(`${world().baseUrl}/api/cis?atomic=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CI_WEBHOOK_TOKEN}` },
      body: JSON.stringify(ciCatalogRows()),
    });
    expect(imported.status).toBe(200);
    expect(((await imported.json()) as { created: number }).created).toBe(150);
  });

  it('registers /fault report with an autocomplete system option', () => {
    const { fake } = world();
    const fault = fake.registered.guilds.get(fake.guildId)?.find((c) => c.name === 'fault');
    const report = (fault?.options as { name: string; options?: Record<string, unknown>[] }[] | undefined)?.find((o) => o.name === 'report');
    expect(report?.options).toEqual([expect.objectContaining({ name: 'system', type: 3, autocomplete: true, required: false })]);
  });

  it('answers autocomplete with at most 25 ranked choices, in Chinese and by alias', async () => {
    expect(choicesOf(answeredWell(await typing('数据库')))).toEqual([
      { name: '数据库主库', value: '数据库主库' },
      { name: '数据库从库', value: '数据库从库' },
      { name: '核心数据库', value: '核心数据库' },
    ]);
    expect(choicesOf(answeredWell(await typing('Mail')))).toEqual([
      { name: 'mail', value: 'mail' },
      { name: 'mail-gateway', value: 'mail-gateway' },
      { name: '邮件服务器 (mail-01)', value: '邮件服务器' },
      { name: 'webmail', value: 'webmail' },
      { name: 'outbound-relay (smtp-mail)', value: 'outbound-relay' },
    ]);
    const hosts = choicesOf(answeredWell(await typing('host')));
    expect(hosts).toHaveLength(25);
    expect(hosts.map((c) => c.value)).toEqual(Array.from({ length: 25 }, (_, i) => `host-${String(i + 1).padStart(3, '0')}`));
    expect(choicesOf(answeredWell(await typing('')))).toHaveLength(25);
    expect(choicesOf(answeredWell(await typing('no such system')))).toEqual([]);
  });

  it('prefills the modal with the system picked, and links the fault to that item', async () => {
    const { fake, driver } = world();
    const picked = choicesOf(answeredWell(await typing('pg-main')))[0];
    expect(picked).toEqual({ name: '数据库主库 (pg-main)', value: '数据库主库' });
    const opened = answeredWell(await driver.command({ user: ANNA, channelId: OPS, command: 'fault report', options: { system: picked?.value ?? '' } }));
    const modal = modalOf(fake, opened);
    expect(JSON.stringify(modal.data)).toContain('"custom_id":"affectedSystem","style":1,"required":false,"max_length":150,"value":"数据库主库"');
    const submitted = answeredWell(await driver.submitModal({ user: ANNA, modal, values: { title: 'Replication stopped', description: 'The replica is 2 hours behind' } }));
    let step = messageOf(fake, submitted);
    const category = customIdsOf(step).find((id) => id.endsWith('|category')) ?? '';
    step = messageOf(fake, answeredWell(await driver.select({ user: ANNA, message: step, customId: category, values: ['software'] })));
    const next = customIdsOf(step).find((id) => id.endsWith('|next')) ?? '';
    answeredWell(await driver.click({ user: ANNA, message: step, customId: next }));
    const card = await fake.waitFor(() => fake.messagesIn(FAULTS).find((m) => textOf(m).includes('Replication stopped')), 5_000);
    expect(textOf(card)).toMatch(/CI-\d+ 数据库主库 · criticality 2/);
  });
}
