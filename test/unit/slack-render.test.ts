import type { InputBlock } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { mentionNode } from '../../src/chat/markup.js';
import type { ChatForm, ChatMessage } from '../../src/chat/model.js';
import { chatActionId } from '../../src/platforms/slack/action-ids.js';
import { decodeFormMetadata, FormTooLargeError, renderModal } from '../../src/platforms/slack/modal.js';
import { renderMessage } from '../../src/platforms/slack/render.js';
import { truncateMrkdwn, truncatePlain } from '../../src/platforms/slack/truncate.js';
import { validateMessage, validateView } from '../fakes/slack/index.js';

const card: ChatMessage = {
  fallback: 'INC-42 P1 Mail server unreachable',
  title: '🔴 INC-42 · P1 · Mail server unreachable',
  body: 'Nobody on floor 3 gets mail since 09:00.',
  fields: [
    { label: 'Status', value: 'Reported' },
    { label: 'Reporter', value: mentionNode('U123') },
  ],
  context: ['Created 2026-11-27 09:14', 'Source: chat'],
  buttons: [
    { actionId: 'fault.ack', value: 'INC-42', label: 'Acknowledge', style: 'primary' },
    { actionId: 'fault.resolve', value: 'INC-42', label: 'Resolve' },
  ],
};

function blockTypes(message: ChatMessage): string[] {
  return renderMessage(message).blocks.map((b) => b.type);
}

describe('renderMessage', () => {
  it('lays a card out as header, body, fields, context and actions', () => {
    const rendered = renderMessage(card);
    expect(rendered.text).toBe(card.fallback);
    expect(rendered.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context', 'actions']);
    expect(rendered.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: card.title } });
    expect(rendered.blocks[2]).toMatchObject({ fields: [{ type: 'mrkdwn', text: '*Status*\nReported' }, { text: '*Reporter*\n<@U123>' }] });
    expect(rendered.blocks[4]).toMatchObject({
      elements: [
        { type: 'button', action_id: 'fault.ack', value: 'INC-42', style: 'primary', text: { text: 'Acknowledge' } },
        { type: 'button', action_id: 'fault.resolve', value: 'INC-42' },
      ],
    });
    expect(validateMessage(rendered)).toBeUndefined();
  });

  it('fits a 10,000-character body, 15 fields and a 200-character title into what Slack accepts', () => {
    const message: ChatMessage = {
      fallback: 'x'.repeat(50_000),
      title: 'T'.repeat(200),
      body: 'word '.repeat(2_000),
      fields: Array.from({ length: 15 }, (_, i) => ({ label: `Field ${i}`, value: 'v'.repeat(2_500) })),
      context: Array.from({ length: 14 }, (_, i) => `context ${i}`),
      buttons: card.buttons,
    };
    const rendered = renderMessage(message);
    expect(validateMessage(rendered)).toBeUndefined();
    expect(rendered.text).toHaveLength(40_000);
    expect(rendered.text.endsWith('…')).toBe(true);
    const [header] = rendered.blocks;
    expect(header).toMatchObject({ type: 'header' });
    expect(header?.type === 'header' && header.text.text.length).toBe(150);
    expect(JSON.stringify(rendered.blocks).length).toBeLessThanOrEqual(12_000);
    // Every field is still there, and the 14 context lines became Slack's 10 elements.
    const fieldCount = rendered.blocks.reduce((n, b) => n + (b.type === 'section' && b.fields ? b.fields.length : 0), 0);
    expect(fieldCount).toBe(15);
    const context = rendered.blocks.find((b) => b.type === 'context');
    expect(context?.type === 'context' && context.elements).toHaveLength(10);
  });

  it('shortens the body first when the blocks get too long, keeping the fields whole', () => {
    const message: ChatMessage = {
      fallback: 'long',
      body: 'b'.repeat(10_000),
      fields: Array.from({ length: 10 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(900) })),
    };
    const rendered = renderMessage(message);
    const body = rendered.blocks[0];
    expect(body?.type === 'section' && body.text?.text.endsWith('…')).toBe(true);
    const fields = rendered.blocks[1];
    expect(fields?.type === 'section' && fields.fields?.every((f) => f.text.endsWith('v'))).toBe(true);
    expect(validateMessage(rendered)).toBeUndefined();
  });

  it('gives repeated action ids a suffix Slack accepts and the click drops again', () => {
    const survey: ChatMessage = {
      fallback: 'How did we do?',
      body: 'How did we do?',
      buttons: [1, 2, 3].map((n) => ({ actionId: 'feedback.rate', value: `INC-1:${n}`, label: String(n) })),
    };
    const rendered = renderMessage(survey);
    const actions = rendered.blocks.find((b) => b.type === 'actions');
    const ids = actions?.type === 'actions' ? actions.elements.map((e) => ('action_id' in e ? e.action_id : undefined)) : [];
    expect(ids).toEqual(['feedback.rate', 'feedback.rate~2', 'feedback.rate~3']);
    expect(ids.map((id) => chatActionId(id ?? ''))).toEqual(['feedback.rate', 'feedback.rate', 'feedback.rate']);
    expect(validateMessage(rendered)).toBeUndefined();
  });

  it('cuts button labels to 75 characters and leaves out a button whose value Slack would refuse', () => {
    const rendered = renderMessage({
      fallback: 'f',
      body: 'b',
      buttons: [
        { actionId: 'a.long', value: 'X', label: 'L'.repeat(100) },
        { actionId: 'a.huge', value: 'v'.repeat(2_001), label: 'Huge' },
      ],
    });
    const actions = rendered.blocks.find((b) => b.type === 'actions');
    expect(actions?.type === 'actions' && actions.elements).toHaveLength(1);
    expect(JSON.stringify(actions)).toContain(`${'L'.repeat(74)}…`);
    expect(validateMessage(rendered)).toBeUndefined();
  });

  it('always renders at least one block, so chat.update replaces an old card completely', () => {
    expect(blockTypes({ fallback: 'Just text' })).toEqual(['section']);
    expect(blockTypes({ fallback: 'Buttons only', buttons: card.buttons })).toEqual(['section', 'actions']);
  });
});

describe('truncation', () => {
  it('never splits an emoji or a Slack mention', () => {
    expect(truncatePlain('ab😀cd', 4)).toBe('ab…');
    expect(truncateMrkdwn('owner <@U12345678> today', 12)).toBe('owner…');
    expect(truncateMrkdwn('short', 10)).toBe('short');
  });
});

const form: ChatForm = {
  formId: 'fault.report',
  title: 'Report a fault with a very long title',
  submitLabel: 'Report this fault right now please',
  context: 'INC-42',
  fields: [
    { id: 'title', label: 'Title', kind: 'text', required: true, maxLength: 150, initial: 'Printer' },
    { id: 'description', label: 'Description', kind: 'textarea', required: false, hint: 'What happened?' },
    {
      id: 'impact',
      label: 'Impact',
      kind: 'select',
      required: true,
      initial: '2',
      options: Array.from({ length: 120 }, (_, i) => ({ value: String(i), label: `Option ${i} ${'x'.repeat(80)}` })),
    },
    { id: 'assignee', label: 'Assignee', kind: 'user', required: false, initial: 'U0BOB' },
  ],
};

describe('renderModal', () => {
  it('builds a modal Slack accepts, with ids, limits and metadata in place', () => {
    const view = renderModal(form, { channelId: 'C0OPS', closeLabel: 'Cancel' });
    expect(validateView(view)).toBeUndefined();
    expect(view.callback_id).toBe('fault.report');
    expect(view.title.text).toHaveLength(24);
    expect(view.submit?.text).toHaveLength(24);
    expect(decodeFormMetadata(view.private_metadata)).toEqual({ context: 'INC-42', channelId: 'C0OPS' });
    expect(view.blocks).toMatchObject([
      { type: 'input', block_id: 'title', optional: false, element: { type: 'plain_text_input', action_id: 'title', multiline: false, max_length: 150, initial_value: 'Printer' } },
      { type: 'input', block_id: 'description', optional: true, hint: { text: 'What happened?' }, element: { type: 'plain_text_input', multiline: true } },
      { type: 'input', block_id: 'impact', element: { type: 'static_select', action_id: 'impact', initial_option: { value: '2' } } },
      { type: 'input', block_id: 'assignee', element: { type: 'users_select', action_id: 'assignee', initial_user: 'U0BOB' } },
    ]);
    const select = view.blocks.find((b): b is InputBlock => b.type === 'input' && b.block_id === 'impact');
    const options = select?.element.type === 'static_select' ? (select.element.options ?? []) : [];
    expect(options).toHaveLength(100);
    expect(options.every((o) => o.text.text.length <= 75)).toBe(true);
  });

  it('refuses a context that does not fit private_metadata instead of cutting it', () => {
    expect(() => renderModal({ ...form, context: 'x'.repeat(3_000) }, { closeLabel: 'Cancel' })).toThrow(FormTooLargeError);
  });
});
