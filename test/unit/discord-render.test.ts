import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import type { PersonView } from '../../src/chat/format.js';
import { mentionNode } from '../../src/chat/markup.js';
import { faultCard } from '../../src/faults/cards.js';
import { Fault } from '../../src/store/entities/index.js';
import type { ChatForm, ChatMessage } from '../../src/chat/model.js';
import { reportForm, resolveForm, reassignForm } from '../../src/faults/forms.js';
import { buttonCustomIds, formCustomId, parseCustomId } from '../../src/platforms/discord/custom-ids.js';
import { FormTooLargeError, planSteps, renderChoiceStep, renderGate, renderModal, submittedValues } from '../../src/platforms/discord/forms.js';
import { COLORS, embedLength, renderMessage } from '../../src/platforms/discord/render.js';
import { fit } from '../../src/platforms/discord/text.js';
import { validateMessage, validateModal } from '../fakes/discord/index.js';

const t = translator('en');

const card: ChatMessage = {
  fallback: 'INC-42 P1 Mail server unreachable',
  title: '🔴 INC-42 · P1 · Mail server unreachable',
  color: 'red',
  body: 'Nobody on floor 3 gets mail since 09:00.',
  fields: [
    { label: 'Status', value: 'Reported' },
    { label: 'Reporter', value: mentionNode('123456789012345678') },
    { label: 'Root cause', value: 'A long explanation\nover two lines' },
  ],
  context: ['Created 2026-11-27 09:14', 'Source: chat'],
  buttons: [
    { actionId: 'fault.ack', value: 'INC-42', label: 'Acknowledge', style: 'primary' },
    { actionId: 'fault.resolve', value: 'INC-42', label: 'Resolve' },
    { actionId: 'fault.reassign', value: 'INC-42', label: 'Reassign', style: 'danger' },
  ],
};

/** A fault as the card reads it, acknowledged by person 7; no SLA targets (no SLA line). */
const baseFault: Fault = Object.assign(new Fault(), {
  id: 42,
  title: 'Mail server unreachable',
  description: 'Nobody on floor 3 gets mail.',
  category: 'network',
  impact: 1,
  urgency: 1,
  priority: 'P1',
  state: 'reported',
  affectedSystem: null,
  source: 'chat',
  reporterId: 7,
  reporterPlatform: 'discord',
  assigneeId: null,
  rootCause: null,
  resolutionSteps: null,
  acknowledgedAt: null,
  resolvedAt: null,
  createdAt: new Date('2026-11-27T08:14:00Z'),
  updatedAt: new Date('2026-11-27T08:14:00Z'),
});

describe('renderMessage', () => {
  it('lays a card out as one embed (title, colour, description, fields, footer) with a row of buttons', () => {
    const rendered = renderMessage(card);
    expect(rendered.content).toBe('');
    expect(rendered.embeds).toEqual([
      {
        title: card.title,
        description: card.body,
        color: COLORS.red,
        fields: [
          { name: 'Status', value: 'Reported', inline: true },
          { name: 'Reporter', value: '<@123456789012345678>', inline: true },
          { name: 'Root cause', value: 'A long explanation\nover two lines', inline: false },
        ],
        footer: { text: 'Created 2026-11-27 09:14 · Source: chat' },
      },
    ]);
    expect(rendered.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, custom_id: 'a|fault.ack|INC-42', label: 'Acknowledge', style: 1 },
          { type: 2, custom_id: 'a|fault.resolve|INC-42', label: 'Resolve', style: 2 },
          { type: 2, custom_id: 'a|fault.reassign|INC-42', label: 'Reassign', style: 4 },
        ],
      },
    ]);
    expect(rendered.allowed_mentions).toEqual({ parse: [] });
    expect(validateMessage(rendered)).toEqual([]);
  });

  it('shows a display name, not <@id>, for a mention in the footer (footers do not render mentions); fields keep the mention', () => {
    const li: PersonView = { displayName: 'Li Wei', accounts: [{ platform: 'discord', userId: '123456789012345678' }] };
    const fault = { ...baseFault, acknowledgedAt: new Date('2026-11-27T08:20:00Z'), assigneeId: 7, state: 'acknowledged' as const };
    const message = faultCard(fault, { t, platform: 'discord', timeZone: 'Europe/Berlin', people: new Map([[7, li]]), acknowledgedBy: 7 });
    const embed = renderMessage(message).embeds[0];
    expect(embed?.footer?.text).toContain('Acknowledged by @Li Wei at');
    expect(embed?.footer?.text).not.toContain('<@');
    expect(embed?.fields?.find((f) => f.name === 'Assignee')?.value).toBe('<@123456789012345678>');
    // A node without a name (an older queued card) shows the id, still without the mention syntax.
    expect(renderMessage({ ...card, context: [`Acknowledged by ${mentionNode('123456789012345678')}`] }).embeds[0]?.footer?.text).toBe('Acknowledged by @123456789012345678');
  });

  it('sends a short private answer as plain content, and an edit always names its components so old buttons go', () => {
    const rendered = renderMessage({ fallback: 'li.wei is now engineer.', body: 'li.wei is now engineer.' });
    expect(rendered).toEqual({ content: 'li.wei is now engineer.', embeds: [], components: [], allowed_mentions: { parse: [] } });
    const resolved = renderMessage({ ...card, buttons: [] });
    expect(resolved.components).toEqual([]);
  });

  it('fits a 10,000-character body, 40 fields, a 300-character title and a long footer into what Discord accepts', () => {
    const message: ChatMessage = {
      fallback: 'x'.repeat(5_000),
      title: 'T'.repeat(300),
      body: 'word '.repeat(2_000),
      fields: Array.from({ length: 40 }, (_, i) => ({ label: `Field ${i} ${'n'.repeat(300)}`, value: 'v'.repeat(2_000) })),
      context: Array.from({ length: 30 }, (_, i) => `context line ${i} ${'c'.repeat(100)}`),
      buttons: card.buttons,
    };
    const rendered = renderMessage(message);
    expect(validateMessage(rendered)).toEqual([]);
    const [embed] = rendered.embeds;
    expect(embed?.title).toHaveLength(256);
    expect(embed?.title?.endsWith('…')).toBe(true);
    expect(embedLength(embed ?? {})).toBeLessThanOrEqual(6000);
    expect(embed?.fields?.length).toBeLessThanOrEqual(25);
  });

  it('turns a long plain text into an embed description instead of cutting it at 2000', () => {
    const text = 'a'.repeat(3_000);
    const rendered = renderMessage({ fallback: text, body: text });
    expect(rendered.content).toBe('');
    expect(rendered.embeds[0]?.description).toBe(text);
    expect(validateMessage(rendered)).toEqual([]);
  });

  it('keeps at most 5 rows of 5 buttons, with unique custom_ids even for repeated actions, and drops ids over 100 characters', () => {
    const buttons = [
      ...Array.from({ length: 28 }, (_, i) => ({ actionId: 'feedback.rate', value: String((i % 5) + 1), label: `${(i % 5) + 1}` })),
      { actionId: 'fault.show', value: 'x'.repeat(120), label: 'Too long' },
    ];
    const rendered = renderMessage({ fallback: 'Rate', title: 'Rate', buttons });
    expect(rendered.components).toHaveLength(5);
    const ids = rendered.components.flatMap((row) => row.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect(ids.slice(0, 6)).toEqual(['a|feedback.rate|1', 'a|feedback.rate|2', 'a|feedback.rate|3', 'a|feedback.rate|4', 'a|feedback.rate|5', 'a~2|feedback.rate|1']);
    expect(validateMessage(rendered)).toEqual([]);
    expect(parseCustomId('a~2|feedback.rate|1')).toEqual({ kind: 'button', actionId: 'feedback.rate', value: '1' });
  });

  it('never cuts inside a mention or between the halves of an emoji', () => {
    expect(fit('assigned to <@123456789012345678> now', 20)).toBe('assigned to…');
    expect(fit('ab😀cd', 4)).toBe('ab…');
  });
});

describe('custom_ids', () => {
  it('carry a button route and read back values that contain the separator', () => {
    const next = buttonCustomIds();
    const id = next('fault.ack', 'INC-4|x');
    expect(id).toBe('a|fault.ack|INC-4|x');
    expect(parseCustomId(id ?? '')).toEqual({ kind: 'button', actionId: 'fault.ack', value: 'INC-4|x' });
    expect(parseCustomId(formCustomId('AbCdEfGh12345678', 3, 'impact'))).toEqual({ kind: 'form', draft: 'AbCdEfGh12345678', step: 3, part: 'impact' });
    expect(parseCustomId('something else')).toEqual({ kind: 'unknown' });
    expect(parseCustomId('f|bad token!|1|x')).toEqual({ kind: 'unknown' });
  });
});

describe('forms on Discord', () => {
  const draft = (form: ChatForm, values: Record<string, string> = {}) => ({ id: 'AbCdEfGh12345678', form, values });

  it('takes the fault report as a modal of its text fields, then its choices as select menus', () => {
    const steps = planSteps(reportForm(t));
    expect(steps.map((s) => [s.kind, s.fields.map((f) => f.id)])).toEqual([
      ['modal', ['title', 'description', 'affectedSystem']],
      ['choices', ['category', 'impact', 'urgency']],
    ]);
    const modal = renderModal(draft(reportForm(t)), 0, 'modal');
    expect(validateModal(modal)).toEqual([]);
    expect(modal.custom_id).toBe('f|AbCdEfGh12345678|0|modal');
    expect(modal.components[1]).toMatchObject({
      type: 18,
      label: 'Description',
      description: 'What happens, since when, and what you already tried',
      component: { type: 4, custom_id: 'description', style: 2, required: true, max_length: 4000 },
    });
  });

  it('preselects the defaults (impact and urgency medium) and names the field in every option', () => {
    const step = renderChoiceStep(draft(reportForm(t)), 1, t);
    expect(validateMessage(step, { allowEphemeral: true })).toEqual([]);
    expect(step.content).toBe('**Report a fault**\nChoose below, then press Report.');
    const impact = step.components[1]?.components[0];
    expect(impact).toMatchObject({ type: 3, custom_id: 'f|AbCdEfGh12345678|1|impact', min_values: 1, max_values: 1 });
    const options = impact && 'options' in impact ? impact.options : [];
    expect(options.find((o) => o.default)).toEqual({ label: 'Impact: 2 Medium: a department', value: '2', default: true });
    const category = step.components[0]?.components[0];
    expect(category && 'options' in category && category.options.some((o) => o.default)).toBe(false);
    expect(step.components[3]?.components[0]).toMatchObject({ type: 2, custom_id: 'f|AbCdEfGh12345678|1|next', label: 'Report' });
  });

  it('asks a user field with a user select, and a gate button opens a modal that cannot answer a modal', () => {
    const form = reassignForm(t, 4);
    expect(planSteps(form).map((s) => s.kind)).toEqual(['choices']);
    const step = renderChoiceStep(draft(form, { assignee: '123456789012345678' }), 0, t);
    expect(step.components[0]?.components[0]).toMatchObject({ type: 5, default_values: [{ id: '123456789012345678', type: 'user' }] });
    const gate = renderGate(draft(resolveForm(t, 4)), 0, t);
    expect(validateMessage(gate, { allowEphemeral: true })).toEqual([]);
    expect(gate.components[0]?.components[0]).toMatchObject({ custom_id: 'f|AbCdEfGh12345678|0|open', label: 'Open the form' });
  });

  it('splits a long form into modals of five, numbered, and keeps what was typed when it reopens one', () => {
    const fields = Array.from({ length: 7 }, (_, i) => ({ id: `f${i}`, label: `Field ${i}`, kind: 'text' as const, required: true }));
    const form: ChatForm = { formId: 'x.long', title: 'A rather long form title here', submitLabel: 'Send', context: '', fields };
    const steps = planSteps(form);
    expect(steps.map((s) => s.fields.length)).toEqual([5, 2]);
    const second = renderModal(draft(form, { f5: 'typed before' }), 1, 'mstep');
    expect(second.title).toBe('A rather long form title here (2/2)');
    expect(second.components[0]).toMatchObject({ component: { custom_id: 'f5', value: 'typed before' } });
    expect(validateModal(second)).toEqual([]);
  });

  it('asks a select with more than 25 options as text, and refuses ids that cannot fit a custom_id', () => {
    const options = Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, label: `Option ${i}` }));
    const form: ChatForm = { formId: 'x.big', title: 'Big', submitLabel: 'Send', context: '', fields: [{ id: 'pick', label: 'Pick', kind: 'select', required: true, options }] };
    expect(planSteps(form).map((s) => s.kind)).toEqual(['modal']);
    const long: ChatForm = { ...form, fields: [{ id: 'y'.repeat(90), label: 'Y', kind: 'select', required: true, options: [{ value: '1', label: 'one' }] }] };
    expect(() => renderChoiceStep(draft(long), 0, t)).toThrow(FormTooLargeError);
  });

  it('submits every field of the form, choices falling back to their defaults', () => {
    const values = submittedValues(reportForm(t), { title: 'T', description: 'D', category: 'network' });
    expect(values).toEqual({ title: 'T', description: 'D', category: 'network', impact: '2', urgency: '2', affectedSystem: '' });
  });
});
