// The fake is only worth something if it refuses what Slack refuses: these pin its validator down.
import { describe, expect, it } from 'vitest';
import { validateMessage, validateOptionsResponse, validateView } from '../fakes/slack/index.js';

const text = (t: string) => ({ type: 'mrkdwn', text: t });
const plain = (t: string) => ({ type: 'plain_text', text: t });
const section = (t: string) => ({ type: 'section', text: text(t) });
const button = (actionId: string, label = 'Go') => ({ type: 'button', action_id: actionId, text: plain(label), value: 'v' });

function errorOf(blocks: unknown[]): string | undefined {
  return validateMessage({ text: 'fallback', blocks })?.error;
}

describe('fake Slack message validation', () => {
  it('accepts a well-formed card', () => {
    expect(errorOf([{ type: 'header', text: plain('Title') }, section('Body'), { type: 'actions', elements: [button('a'), button('b')] }])).toBeUndefined();
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' }))],
    ['a 151-character header', [{ type: 'header', text: plain('h'.repeat(151)) }]],
    ['an mrkdwn header', [{ type: 'header', text: text('h') }]],
    ['a 3001-character section', [section('s'.repeat(3001))]],
    ['an empty section', [section('')]],
    ['11 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => text('f')) }]],
    ['a 2001-character field', [{ type: 'section', fields: [text('f'.repeat(2001))] }]],
    ['11 context elements', [{ type: 'context', elements: Array.from({ length: 11 }, () => text('c')) }]],
    ['26 buttons', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`b${i}`)) }]],
    ['a 76-character button', [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }]],
    ['a 2001-character button value', [{ type: 'actions', elements: [{ ...button('a'), value: 'v'.repeat(2001) }] }]],
    ['a 256-character action_id', [{ type: 'actions', elements: [button('a'.repeat(256))] }]],
    ['repeated action_ids', [{ type: 'actions', elements: [button('a')] }, { type: 'actions', elements: [button('a')] }]],
    ['repeated block_ids', [{ ...section('1'), block_id: 'x' }, { ...section('2'), block_id: 'x' }]],
    ['an unknown style', [{ type: 'actions', elements: [{ ...button('a'), style: 'warning' }] }]],
    ['an unknown block type', [{ type: 'carousel' }]],
  ])('refuses %s with invalid_blocks', (_name, blocks) => {
    expect(errorOf(blocks)).toBe('invalid_blocks');
  });

  it('refuses block payloads past 13,000 characters with msg_blocks_too_long', () => {
    const blocks = Array.from({ length: 5 }, () => section('s'.repeat(2900)));
    expect(errorOf(blocks)).toBe('msg_blocks_too_long');
  });

  it('needs text or blocks', () => {
    expect(validateMessage({})?.error).toBe('no_text');
    expect(validateMessage({ blocks: 'not json' })?.error).toBe('invalid_blocks_format');
  });
});

describe('fake Slack view validation', () => {
  const input = (id: string, element: Record<string, unknown>) => ({ type: 'input', block_id: id, label: plain(id), element: { action_id: id, ...element } });
  const modal = (overrides: Record<string, unknown> = {}) => ({
    type: 'modal',
    callback_id: 'form',
    title: plain('Title'),
    submit: plain('Send'),
    blocks: [input('a', { type: 'plain_text_input' })],
    ...overrides,
  });

  it('accepts a well-formed modal', () => {
    expect(validateView(modal())).toBeUndefined();
  });

  it.each([
    ['a 25-character title', modal({ title: plain('t'.repeat(25)) })],
    ['a 25-character submit', modal({ submit: plain('s'.repeat(25)) })],
    ['inputs without submit', modal({ submit: undefined })],
    ['a 256-character callback_id', modal({ callback_id: 'c'.repeat(256) })],
    ['3001 characters of private_metadata', modal({ private_metadata: 'm'.repeat(3001) })],
    ['101 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) })],
    ['a select with 101 options', modal({ blocks: [input('s', { type: 'static_select', options: Array.from({ length: 101 }, (_, i) => ({ text: plain(`o${i}`), value: `${i}` })) })] })],
    ['a 76-character option value', modal({ blocks: [input('s', { type: 'static_select', options: [{ text: plain('o'), value: 'v'.repeat(76) }] })] })],
    ['an initial option that is not an option', modal({ blocks: [input('s', { type: 'static_select', options: [{ text: plain('o'), value: '1' }], initial_option: { text: plain('x'), value: '2' } })] })],
    ['an external_select with static options', modal({ blocks: [input('s', { type: 'external_select', action_id: 's', options: [{ text: plain('o'), value: '1' }] })] })],
    ['an external_select with a negative min_query_length', modal({ blocks: [input('s', { type: 'external_select', action_id: 's', min_query_length: -1 })] })],
    ['an external_select initial option value of 151 characters', modal({ blocks: [input('s', { type: 'external_select', action_id: 's', initial_option: { text: plain('o'), value: 'v'.repeat(151) } })] })],
    ['max_length past 3000', modal({ blocks: [input('a', { type: 'plain_text_input', max_length: 3001 })] })],
    ['an initial value longer than max_length', modal({ blocks: [input('a', { type: 'plain_text_input', max_length: 5, initial_value: 'toolong' })] })],
  ])('refuses %s with invalid_arguments', (_name, view) => {
    expect(validateView(view)?.error).toBe('invalid_arguments');
  });

  it('refuses views past 250 kB with view_too_large', () => {
    expect(validateView(modal({ private_metadata: 'm'.repeat(260 * 1024) }))?.error).toBe('view_too_large');
  });
});

describe('fake Slack options responses (block_suggestion)', () => {
  const option = (label: string, value: string) => ({ text: plain(label), value });

  it('accepts up to 100 options with 75-character text and 150-character values, and an external_select with an initial option', () => {
    expect(validateOptionsResponse({ options: Array.from({ length: 100 }, (_, i) => option('t'.repeat(75), `${i}`.padEnd(150, 'v'))) })).toEqual([]);
    expect(validateOptionsResponse({ options: [] })).toEqual([]);
    const view = { type: 'modal', title: plain('T'), submit: plain('S'), blocks: [{ type: 'input', block_id: 's', label: plain('L'), element: { type: 'external_select', action_id: 's', min_query_length: 1, initial_option: option('x', 'v'.repeat(150)) } }] };
    expect(validateView(view)).toBeUndefined();
  });

  it.each([
    ['101 options', { options: Array.from({ length: 101 }, (_, i) => option('o', `${i}`)) }, 'options: no more than 100 items allowed (got 101)'],
    ['a 76-character text', { options: [option('t'.repeat(76), '1')] }, 'options[0].text.text: must be at most 75 characters (got 76)'],
    ['a 151-character value', { options: [option('o', 'v'.repeat(151))] }, 'options[0].value: must be at most 150 characters (got 151)'],
    ['an mrkdwn text', { options: [{ text: { type: 'mrkdwn', text: 'o' }, value: '1' }] }, 'options[0].text: must be plain_text'],
    ['an empty value', { options: [option('o', '')] }, 'options[0].value: too short'],
    ['a repeated value', { options: [option('a', '1'), option('b', '1')] }, 'options: values must be unique'],
    ['no options array', { choices: [] }, 'options response needs an options array'],
  ])('refuses %s', (_name, body, problem) => {
    expect(validateOptionsResponse(body)).toContain(problem);
  });
});
