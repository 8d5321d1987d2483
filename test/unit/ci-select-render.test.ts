// The searchable "affected system" on each platform, short of the network: Slack's external_select
// and its options, Discord's autocomplete interaction and choices, both fitted to the platform limits.
import { describe, expect, it } from 'vitest';
import type { InputBlock } from '@slack/web-api';
import { COMMANDS } from '../../commands/index.js';
import { translator } from '../../src/chat/i18n/catalog.js';
import type { ChatForm, FormOption } from '../../src/chat/model.js';
import { reportForm } from '../../src/faults/forms.js';
import { autocompleteChoices } from '../../src/platforms/discord/autocomplete.js';
import { planSteps } from '../../src/platforms/discord/forms.js';
import { parseInteraction, type AutocompleteInbound } from '../../src/platforms/discord/inbound.js';
import type { Suggestions } from '../../src/platforms/port.js';
import { suggestActionId, suggestSourceOf } from '../../src/platforms/slack/action-ids.js';
import { submittedValues } from '../../src/platforms/slack/inbound.js';
import { renderModal } from '../../src/platforms/slack/modal.js';
import { suggestionOptions } from '../../src/platforms/slack/suggestions.js';
import { validateAutocompleteResult } from '../fakes/discord/index.js';
import { validateOptionsResponse, validateView } from '../fakes/slack/index.js';

const t = translator('en');
const asTyped = (text: string) => `"${text}" (as typed)`;
const option = (value: string, label = value): FormOption => ({ value, label });

describe('Slack: the affected system as an external_select', () => {
  const form: ChatForm = reportForm(t, 'search', '数据库主库');

  it('renders a searchable menu from the first character, with the system given on the command as its initial option', () => {
    const view = renderModal(form, { closeLabel: 'Cancel' });
    expect(validateView(view)).toBeUndefined();
    const block = view.blocks.find((b): b is InputBlock => b.type === 'input' && b.block_id === 'affectedSystem');
    expect(block?.optional).toBe(true);
    expect(block?.element).toEqual({
      type: 'external_select',
      action_id: 'suggest:ci:affectedSystem',
      min_query_length: 1,
      initial_option: { text: { type: 'plain_text', text: '数据库主库', emoji: true }, value: '数据库主库' },
    });
    expect(block?.hint?.text).toBe('A configuration item name or alias (type to search); other text is kept as written');
  });

  it('names its source in the action id and reads the chosen option back like a static select', () => {
    expect(suggestSourceOf(suggestActionId('ci', 'affectedSystem'))).toBe('ci');
    expect(suggestSourceOf('suggest:printers:affectedSystem')).toBeUndefined();
    expect(suggestSourceOf('fault.ack')).toBeUndefined();
    const state = { affectedSystem: { 'suggest:ci:affectedSystem': { type: 'external_select', selected_option: { value: '数据库主库' } } } };
    expect(submittedValues(['affectedSystem'], state)).toEqual({ affectedSystem: '数据库主库' });
    expect(submittedValues(['affectedSystem'], { affectedSystem: { 'suggest:ci:affectedSystem': { type: 'external_select', selected_option: null } } })).toEqual({ affectedSystem: '' });
  });

  it('answers with at most 100 options, cuts labels to 75 characters, leaves out values past 150 and adds the typed text last', () => {
    const matches = [option('v'.repeat(151)), ...Array.from({ length: 120 }, (_, i) => option(`host-${i}`, `host-${i} ${'x'.repeat(100)}`))];
    const options = suggestionOptions('host', matches, asTyped);
    expect(validateOptionsResponse({ options })).toEqual([]);
    expect(options).toHaveLength(100);
    expect(options[0]?.value).toBe('host-0');
    expect(options[0]?.text.text).toHaveLength(75);
    expect(options.at(-1)).toEqual({ text: { type: 'plain_text', text: '"host" (as typed)', emoji: true }, value: 'host' });
  });

  it('offers the typed text alone when nothing matches, not at all when a match is that text, and nothing for an empty query', () => {
    expect(suggestionOptions('  coffee   machine ', [], asTyped).map((o) => o.value)).toEqual(['coffee machine']);
    expect(suggestionOptions('MAIL', [option('mail'), option('webmail')], asTyped).map((o) => o.value)).toEqual(['mail', 'webmail']);
    expect(suggestionOptions('', [option('a')], asTyped).map((o) => o.value)).toEqual(['a']);
    expect(suggestionOptions('x'.repeat(151), [], asTyped)).toEqual([]);
  });
});

describe('Discord: the affected system by autocomplete', () => {
  const base = { id: '1111111111111111111', application_id: '2222222222222222222', token: 'tok', user: { id: '3333333333333333333', username: 'anna' }, channel_id: '4444444444444444444' };
  const typed = (value: string) => ({ ...base, type: 4, data: { id: '5', name: 'fault', type: 1, options: [{ name: 'report', type: 1, options: [{ name: 'system', type: 3, value, focused: true }] }] } });

  it('reads the focused option of an autocomplete interaction under its subcommand', () => {
    const parsed = parseInteraction(typed('数据'));
    expect(parsed.ok && parsed.inbound).toMatchObject({ kind: 'autocomplete', path: ['fault', 'report'], option: 'system', query: '数据' });
    const none = parseInteraction({ ...typed(''), data: { id: '5', name: 'fault', type: 1, options: [{ name: 'report', type: 1, options: [] }] } });
    expect(none.ok && none.inbound.kind).toBe('ignored');
  });

  it('offers at most 25 choices, names cut to 100, values past 100 left out; none for an option without a source', async () => {
    const asked: { query: string; limit: number }[] = [];
    const suggestions: Suggestions = {
      suggest: async (_source, query, limit) => {
        asked.push({ query, limit });
        return [option('w'.repeat(101)), ...Array.from({ length: 30 }, (_, i) => option(`db-${i}`, `db-${i} ${'n'.repeat(120)}`))];
      },
    };
    const inbound: AutocompleteInbound = { kind: 'autocomplete', ref: { id: '1', token: 't', applicationId: '2', type: 4, actor: { platform: 'discord', userId: '3', displayName: 'anna' } }, path: ['fault', 'report'], option: 'system', query: 'db' };
    const choices = await autocompleteChoices(COMMANDS, suggestions, inbound);
    expect(validateAutocompleteResult({ choices })).toEqual([]);
    expect(choices).toHaveLength(25);
    expect(choices[0]?.value).toBe('db-0');
    expect(choices[0]?.name).toHaveLength(100);
    expect(asked).toEqual([{ query: 'db', limit: 25 }]);
    expect(await autocompleteChoices(COMMANDS, suggestions, { ...inbound, path: ['fault', 'search'], option: 'text' })).toEqual([]);
    expect(asked).toHaveLength(1);
  });

  it('keeps the searchable field a text input in the Discord modal', () => {
    const steps = planSteps(reportForm(t, 'search'));
    expect(steps[0]).toMatchObject({ kind: 'modal' });
    expect(steps[0]?.fields.map((f) => f.id)).toEqual(['title', 'description', 'affectedSystem']);
  });
});
