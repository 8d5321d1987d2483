// The fakes implement the two platform features exactly-once delivery relies on, as the platforms
// document them (PLATFORM-FACTS.md): Discord's enforce_nonce and Slack's message metadata in history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscordServer, snowflake } from '../fakes/discord/index.js';
import { FakeSlackServer } from '../fakes/slack/index.js';

describe('fake Discord: POST /channels/{id}/messages with nonce', () => {
  const channel = snowflake();
  let fake: FakeDiscordServer;
  beforeAll(async () => (fake = await FakeDiscordServer.start({ channels: [channel] })));
  afterAll(async () => fake.stop());

  const create = async (body: Record<string, unknown>): Promise<{ status: number; body: { id?: string } }> => {
    const answer = await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: (await answer.json()) as { id?: string } };
  };

  it('returns the first message for a repeated nonce with enforce_nonce, and creates nothing new', async () => {
    const first = await create({ content: 'one', nonce: 'o17', enforce_nonce: true });
    const again = await create({ content: 'one, again', nonce: 'o17', enforce_nonce: true });
    expect(first.status).toBe(200);
    expect(again).toEqual({ status: 200, body: expect.objectContaining({ id: first.body.id, content: 'one' }) as unknown });
    expect(fake.messagesIn(channel).filter((m) => m.content.startsWith('one'))).toHaveLength(1);
  });

  it('creates a second message without enforce_nonce, and refuses a bad nonce', async () => {
    await create({ content: 'two', nonce: 'o18' });
    await create({ content: 'two', nonce: 'o18' });
    expect(fake.messagesIn(channel).filter((m) => m.content === 'two')).toHaveLength(2);
    expect((await create({ content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true })).status).toBe(400);
    expect((await create({ content: 'x', enforce_nonce: true })).status).toBe(400);
  });
});

describe('fake Slack: message metadata and conversations.history', () => {
  let fake: FakeSlackServer;
  let noHistory: FakeSlackServer;
  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    noHistory = await FakeSlackServer.start({ scopes: ['chat:write'] });
  });
  afterAll(async () => {
    await fake.stop();
    await noHistory.stop();
  });

  const call = async (server: FakeSlackServer, method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const answer = await fetch(`${server.apiUrl}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await answer.json()) as Record<string, unknown>;
  };
  const metadata = { event_type: 'opsdesk_outbox', event_payload: { delivery_id: 'o5' } };

  it('returns metadata only with include_all_metadata, newest first', async () => {
    await call(fake, 'chat.postMessage', { channel: 'C0HIST', text: 'older', metadata });
    await call(fake, 'chat.postMessage', { channel: 'C0HIST', text: 'newer' });
    const plain = await call(fake, 'conversations.history', { channel: 'C0HIST' });
    expect(plain).toMatchObject({ ok: true, messages: [{ text: 'newer' }, { text: 'older' }] });
    expect(JSON.stringify(plain)).not.toContain('opsdesk_outbox');
    const full = await call(fake, 'conversations.history', { channel: 'C0HIST', include_all_metadata: true, limit: 1, oldest: '0' });
    expect(full).toMatchObject({ ok: true, has_more: true, messages: [{ text: 'newer' }] });
    const cursor = (full.response_metadata as { next_cursor: string }).next_cursor;
    const next = await call(fake, 'conversations.history', { channel: 'C0HIST', include_all_metadata: true, limit: 1, cursor });
    expect(next).toMatchObject({ ok: true, has_more: false, messages: [{ text: 'older', metadata }] });
  });

  it('refuses malformed metadata and history without the history scope', async () => {
    expect(await call(fake, 'chat.postMessage', { channel: 'C0HIST', text: 'x', metadata: { event_payload: {} } })).toMatchObject({ ok: false, error: 'invalid_metadata_schema' });
    expect(await call(noHistory, 'conversations.history', { channel: 'C0HIST' })).toMatchObject({ ok: false, error: 'missing_scope', needed: 'channels:history' });
  });
});
