import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseInteraction, parseSlashCommand } from '../../src/platforms/slack/inbound.js';
import { encodeFormMetadata } from '../../src/platforms/slack/modal.js';
import { verifySlackSignature } from '../../src/platforms/slack/signature.js';
import { signSlackRequest } from '../fakes/slack/index.js';

const command = {
  token: 'x',
  team_id: 'T1',
  team_domain: 'acme',
  channel_id: 'C0OPS',
  channel_name: 'ops',
  user_id: 'U0ALICE',
  user_name: 'alice',
  command: '/fault',
  text: ' show INC-42 ',
  response_url: 'https://hooks.slack.com/commands/T1/1/abc',
  trigger_id: '1.2.abc',
  api_app_id: 'A1',
};

describe('parseSlashCommand', () => {
  it('turns the form fields into a command event with what the answer needs', () => {
    expect(parseSlashCommand(command)).toEqual({
      ok: true,
      inbound: {
        kind: 'command',
        event: {
          type: 'command',
          actor: { platform: 'slack', userId: 'U0ALICE', displayName: 'alice' },
          channelId: 'C0OPS',
          command: 'fault',
          text: 'show INC-42',
        },
        triggerId: '1.2.abc',
        responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
      },
    });
  });

  it('refuses a body without a user, or with an oversized text', () => {
    const { user_id: _dropped, ...withoutUser } = command;
    expect(parseSlashCommand(withoutUser)).toMatchObject({ ok: false });
    expect(parseSlashCommand({ ...command, text: 'x'.repeat(9_000) })).toMatchObject({ ok: false });
    expect(parseSlashCommand('nonsense')).toMatchObject({ ok: false });
  });
});

describe('parseInteraction', () => {
  it('reads a button click, dropping the repeat suffix of the action id', () => {
    const parsed = parseInteraction({
      type: 'block_actions',
      user: { id: 'U0BOB', username: 'bob', name: 'bob', team_id: 'T1' },
      trigger_id: '9.9.zz',
      response_url: 'https://hooks.slack.com/actions/x',
      channel: { id: 'C0OPS', name: 'ops' },
      actions: [{ type: 'button', action_id: 'feedback.rate~3', block_id: 'actions', value: 'INC-1:3' }],
    });
    expect(parsed).toEqual({
      ok: true,
      inbound: {
        kind: 'button',
        event: { type: 'button', actor: { platform: 'slack', userId: 'U0BOB', displayName: 'bob' }, channelId: 'C0OPS', actionId: 'feedback.rate', value: 'INC-1:3' },
        triggerId: '9.9.zz',
        responseUrl: 'https://hooks.slack.com/actions/x',
      },
    });
  });

  it('reads a modal submission: text, select and user values, empty optional inputs as empty strings', () => {
    const parsed = parseInteraction({
      type: 'view_submission',
      user: { id: 'U0ALICE', username: 'alice', name: 'alice' },
      view: {
        id: 'V1',
        callback_id: 'fault.report',
        private_metadata: encodeFormMetadata({ context: 'INC-7', channelId: 'C0OPS' }),
        blocks: [
          { type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' } },
          { type: 'input', block_id: 'impact', label: { type: 'plain_text', text: 'Impact' } },
          { type: 'input', block_id: 'assignee', label: { type: 'plain_text', text: 'Assignee' } },
          { type: 'input', block_id: 'notes', label: { type: 'plain_text', text: 'Notes' } },
          { type: 'section', block_id: 'intro' },
        ],
        state: {
          values: {
            title: { title: { type: 'plain_text_input', value: 'Printer jammed' } },
            impact: { impact: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'High' }, value: '1' } } },
            assignee: { assignee: { type: 'users_select', selected_user: 'U0BOB' } },
            notes: { notes: { type: 'plain_text_input', value: null } },
          },
        },
      },
    });
    expect(parsed).toMatchObject({
      ok: true,
      inbound: {
        kind: 'formSubmit',
        event: {
          type: 'formSubmit',
          formId: 'fault.report',
          context: 'INC-7',
          channelId: 'C0OPS',
          values: { title: 'Printer jammed', impact: '1', assignee: 'U0BOB', notes: '' },
        },
        inputs: [
          { id: 'title', label: 'Title' },
          { id: 'impact', label: 'Impact' },
          { id: 'assignee', label: 'Assignee' },
          { id: 'notes', label: 'Notes' },
        ],
      },
    });
  });

  it('ignores interactions it does not act on, and refuses broken ones', () => {
    expect(parseInteraction({ type: 'view_closed', user: { id: 'U1' } })).toMatchObject({ ok: true, inbound: { kind: 'ignored' } });
    expect(parseInteraction({ type: 'block_actions', user: { id: 'U1' }, actions: [] })).toMatchObject({ ok: false });
    expect(parseInteraction([1, 2])).toMatchObject({ ok: false });
  });
});

describe('verifySlackSignature', () => {
  const secret = 'signing-secret-123';
  const body = Buffer.from('command=%2Ffault&text=');
  const now = 1_800_000_000_000;
  const timestamp = String(now / 1000);

  it('accepts what Slack signs, as the test signer signs it', () => {
    const signature = signSlackRequest(secret, body.toString(), Number(timestamp));
    expect(signature).toBe(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body.toString()}`).digest('hex')}`);
    expect(verifySlackSignature(secret, { signature, timestamp, rawBody: body }, now)).toEqual({ valid: true });
  });

  it('refuses other secrets, other bodies, old or future timestamps, and missing headers', () => {
    const signature = signSlackRequest(secret, body.toString(), Number(timestamp));
    expect(verifySlackSignature('other-secret', { signature, timestamp, rawBody: body }, now)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySlackSignature(secret, { signature, timestamp, rawBody: Buffer.from('x') }, now)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySlackSignature(secret, { signature, timestamp, rawBody: body }, now + 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(verifySlackSignature(secret, { signature, timestamp, rawBody: body }, now - 301_000)).toEqual({ valid: false, reason: 'stale' });
    expect(verifySlackSignature(secret, { signature: undefined, timestamp, rawBody: body }, now)).toEqual({ valid: false, reason: 'missing' });
    expect(verifySlackSignature(secret, { signature: 'v0=short', timestamp, rawBody: body }, now)).toEqual({ valid: false, reason: 'mismatch' });
  });
});
