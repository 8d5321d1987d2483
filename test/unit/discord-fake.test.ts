// The fake Discord is only worth something if it refuses what Discord refuses (PLATFORM-FACTS.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscordServer, snowflake, validateAutocompleteResult, validateCommands, validateMessage, validateModal, type DiscordUser } from '../fakes/discord/index.js';

const button = (customId: string, label = 'Go') => ({ type: 2, style: 2, custom_id: customId, label });
const row = (...components: unknown[]) => ({ type: 1, components });

describe('the fake Discord refuses what Discord refuses', () => {
  let fake: FakeDiscordServer;
  const channel = snowflake();
  const user: DiscordUser = { id: snowflake(), username: 'anna' };

  beforeAll(async () => {
    fake = await FakeDiscordServer.start({ channels: [channel] });
  });
  afterAll(async () => fake.stop());

  const api = (method: string, path: string, body?: unknown, auth = true) =>
    fetch(`${fake.apiUrl}/v10${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bot ${fake.botToken}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('refuses content over 2000 characters, empty messages, flags on channel messages and the ephemeral option', () => {
    expect(validateMessage({ content: 'x'.repeat(2001) })).toEqual(['content: must be at most 2000 characters (got 2001)']);
    expect(validateMessage({ content: '   ' })[0]).toMatch(/Cannot send an empty message/);
    expect(validateMessage({ content: 'hi', flags: 64 })).toEqual(['flags: not allowed on channel messages']);
    expect(validateMessage({ content: 'hi', ephemeral: true })[0]).toMatch(/^ephemeral: unknown field/);
    expect(validateMessage({ content: 'hi', flags: 64 }, { allowEphemeral: true })).toEqual([]);
  });

  it('refuses embeds past their limits, and more than 6000 characters over all embeds', () => {
    expect(validateMessage({ embeds: [{ title: 't'.repeat(257) }] })).toContain('embeds[0].title: must be at most 256 characters (got 257)');
    expect(validateMessage({ embeds: [{ description: 'd', fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] })).toContain('embeds[0].fields: at most 25 fields');
    expect(validateMessage({ embeds: [{ fields: [{ name: 'n', value: '' }] }] })).toContain('embeds[0].fields[0].value: must be at least 1 characters');
    const big = { description: 'd'.repeat(4000) };
    expect(validateMessage({ embeds: [big, big] }).at(-1)).toBe('embeds: 8000 characters over all embeds, more than 6000');
  });

  it('refuses too many rows or buttons, a select sharing its row, and duplicate or over-long custom_ids', () => {
    const six = Array.from({ length: 6 }, (_, i) => row(button(`b${i}`)));
    expect(validateMessage({ content: 'x', components: six })).toContain('components: at most 5 action rows (got 6)');
    expect(validateMessage({ content: 'x', components: [row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] })).toContain(
      'components[0]: at most 5 buttons per row (got 6)',
    );
    expect(validateMessage({ content: 'x', components: [row(button('same'), button('same'))] })).toContain('components[0].components[1].custom_id: duplicate custom_id same');
    expect(validateMessage({ content: 'x', components: [row(button('x'.repeat(101)))] })).toContain(
      'components[0].components[0].custom_id: must be at most 100 characters (got 101)',
    );
    expect(validateMessage({ content: 'x', components: [row(button('a', 'l'.repeat(81)))] })).toContain('components[0].components[0].label: must be at most 80 characters (got 81)');
    const select = { type: 3, custom_id: 's', options: [{ label: 'a', value: 'a' }] };
    expect(validateMessage({ content: 'x', components: [row(select, button('b'))] })).toContain('components[0]: a select menu must be alone in its row');
  });

  it('refuses modals with more than 5 components, long titles, and select menus in place of text inputs', () => {
    const input = (id: string) => ({ type: 18, label: 'L', component: { type: 4, custom_id: id, style: 1 } });
    expect(validateModal({ custom_id: 'm', title: 'T', components: Array.from({ length: 6 }, (_, i) => input(`i${i}`)) })).toEqual(['components: a modal needs 1-5 components']);
    expect(validateModal({ custom_id: 'm', title: 't'.repeat(46), components: [input('a')] })).toEqual(['title: must be at most 45 characters (got 46)']);
    expect(validateModal({ custom_id: 'm', title: 'T', components: [{ type: 18, label: 'L', component: { type: 3, custom_id: 's', options: [] } }] })).toEqual([
      'components[0]: only text inputs (type 4) are accepted in modals',
    ]);
  });

  it('refuses command names Discord refuses, long descriptions, too many choices and required options after optional ones', () => {
    const option = (name: string, required: boolean) => ({ type: 3, name, description: 'd', required });
    expect(
      validateCommands([
        { name: 'Fault', description: 'd' },
        { name: 'ok', description: 'x'.repeat(101) },
        { name: 'two', description: 'd', options: [option('a', false), option('b', true)] },
        { name: 'many', description: 'd', options: [{ ...option('c', false), choices: Array.from({ length: 26 }, (_, i) => ({ name: `${i}`, value: `${i}` })) }] },
        { name: 'has space', description: 'd' },
      ]),
    ).toEqual([
      '[0].name: "Fault" must be lower case',
      '[1].description: must be at most 100 characters (got 101)',
      '[2].options[1]: required options must come before optional ones',
      '[3].options[0].choices: at most 25 choices',
      `[4].name: "has space" does not match ${"^[-_'\\p{L}\\p{N}]{1,32}$"}`,
    ]);
  });

  it('refuses autocomplete on options that cannot have it, and autocomplete results past their limits', () => {
    const option = { type: 3, name: 'system', description: 'd', required: false };
    expect(
      validateCommands([
        { name: 'ok', description: 'd', options: [{ ...option, autocomplete: true }] },
        { name: 'user', description: 'd', options: [{ ...option, type: 6, autocomplete: true }] },
        { name: 'both', description: 'd', options: [{ ...option, autocomplete: true, choices: [{ name: 'a', value: 'a' }] }] },
      ]),
    ).toEqual(['[1].options[0].autocomplete: only string, integer and number options autocomplete', '[2].options[0].autocomplete: cannot be set with choices']);
    const choice = (name: string, value: string) => ({ name, value });
    expect(validateAutocompleteResult({ choices: Array.from({ length: 25 }, (_, i) => choice('n'.repeat(100), `${i}`.padEnd(100, 'v'))) })).toEqual([]);
    expect(validateAutocompleteResult({ choices: Array.from({ length: 26 }, (_, i) => choice('n', `${i}`)) })).toEqual(['choices: at most 25 choices (got 26)']);
    expect(validateAutocompleteResult({ choices: [choice('n'.repeat(101), 'v'), choice('', 'v'), choice('n', 'v'.repeat(101))] })).toEqual([
      'choices[0].name: must be at most 100 characters (got 101)',
      'choices[1].name: must be at least 1 characters',
      'choices[2].value: must be at most 100 characters (got 101)',
    ]);
    expect(validateAutocompleteResult({})).toEqual(['choices: required']);
  });

  it('answers REST calls without the bot token with 401, and 429 with retry_after when asked to', async () => {
    expect((await api('POST', `/channels/${channel}/messages`, { content: 'hi' }, false)).status).toBe(401);
    fake.failNext('POST /channels/:id/messages', { status: 429, retryAfter: 1.5 });
    const limited = await api('POST', `/channels/${channel}/messages`, { content: 'hi' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: false });
    expect((await api('POST', `/channels/${channel}/messages`, { content: 'hi' })).status).toBe(200);
    expect((await api('POST', `/channels/${snowflake()}/messages`, { content: 'hi' })).status).toBe(404);
  });

  it('takes one initial response per interaction, within 3 seconds, of a type that fits the interaction', async () => {
    const callback = (id: string, token: string, body: unknown) => api('POST', `/interactions/${id}/${token}/callback`, body, false);
    const command = fake.mintInteraction({ type: 2, user, channelId: channel, data: { id: snowflake(), name: 'fault', type: 1 } });
    expect((await callback(command.id, command.token, { type: 7, data: { content: 'x' } })).status).toBe(400);
    expect((await callback(command.id, command.token, { type: 4, data: { content: 'hello', flags: 64 } })).status).toBe(204);
    const second = await callback(command.id, command.token, { type: 4, data: { content: 'again' } });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 40060, message: 'Interaction has already been acknowledged.' });
    expect(fake.ephemeralsFor(user.id).map((m) => m.content)).toEqual(['hello']);

    const late = fake.mintInteraction({ type: 2, user, channelId: channel, data: { id: snowflake(), name: 'fault', type: 1 } });
    late.createdAt -= 3_100;
    const tooLate = await callback(late.id, late.token, { type: 5 });
    expect(tooLate.status).toBe(404);
    expect(await tooLate.json()).toMatchObject({ code: 10062, message: 'Unknown interaction' });
    expect(late.problems[0]).toMatch(/initial response after 3\d{3} ms/);

    const submit = fake.mintInteraction({ type: 5, user, channelId: channel, data: { custom_id: 'm', components: [] } });
    const modal = { custom_id: 'n', title: 'T', components: [{ type: 18, label: 'L', component: { type: 4, custom_id: 'a', style: 1 } }] };
    expect((await callback(submit.id, submit.token, { type: 9, data: modal })).status).toBe(400);
    expect((await callback(submit.id, submit.token, { type: 6 })).status).toBe(400);
  });

  it('allows follow-ups only after the initial response and edits the deferred reply in place', async () => {
    const command = fake.mintInteraction({ type: 2, user, channelId: channel, data: { id: snowflake(), name: 'fault', type: 1 } });
    const webhook = `/webhooks/${fake.applicationId}/${command.token}`;
    expect((await api('POST', webhook, { content: 'early', flags: 64 }, false)).status).toBe(404);
    expect((await api('POST', `/interactions/${command.id}/${command.token}/callback`, { type: 5, data: { flags: 64 } }, false)).status).toBe(204);
    expect((await api('PATCH', `${webhook}/messages/@original`, { content: '' }, false)).status).toBe(400);
    expect((await api('PATCH', `${webhook}/messages/@original`, { content: 'done' }, false)).status).toBe(200);
    const original = fake.message(command.originalMessageId ?? '');
    expect(original).toMatchObject({ content: 'done', visibleTo: user.id, thinking: false, version: 2 });
  });
});
