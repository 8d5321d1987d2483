import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import type { FormField } from '../../src/chat/model.js';
import { affectedSystemField, CI_CSV_HEADER, importForm } from '../../src/cis/forms.js';
import { parseAnswer } from '../../src/platforms/shell/form-answers.js';
import { describeField } from '../../src/platforms/shell/form-render.js';
import { en, zhCN } from '../../src/platforms/shell/messages.js';
import { parseUserName } from '../../src/platforms/shell/names.js';
import { parseFormLine, parseLine } from '../../src/platforms/shell/parse-line.js';
import { renderMessage } from '../../src/platforms/shell/render.js';
import { plainStyle } from '../../src/platforms/shell/style.js';

const t = translator('en');

describe('parseLine', () => {
  it('reads commands with their text', () => {
    expect(parseLine('/fault list mine')).toEqual({ kind: 'command', command: 'fault', text: 'list mine' });
    expect(parseLine('  /OPS   help ')).toEqual({ kind: 'command', command: 'ops', text: 'help' });
    expect(parseLine('/fault')).toEqual({ kind: 'command', command: 'fault', text: '' });
  });

  it('recognises the shell words', () => {
    expect(parseLine('/as li.wei')).toEqual({ kind: 'as', name: 'li.wei' });
    expect(parseLine('/as')).toEqual({ kind: 'as', name: '' });
    expect(parseLine('/whoami')).toEqual({ kind: 'whoami' });
    expect(parseLine('/help')).toEqual({ kind: 'help' });
    expect(parseLine('/quit')).toEqual({ kind: 'quit' });
    expect(parseLine('/exit')).toEqual({ kind: 'quit' });
    expect(parseLine('/cancel')).toEqual({ kind: 'cancel' });
  });

  it('reads button numbers with or without #', () => {
    expect(parseLine('3')).toEqual({ kind: 'click', n: 3 });
    expect(parseLine(' #12 ')).toEqual({ kind: 'click', n: 12 });
  });

  it('classifies empty lines and anything else', () => {
    expect(parseLine('   ')).toEqual({ kind: 'empty' });
    expect(parseLine('hello bot')).toEqual({ kind: 'other' });
    expect(parseLine('/')).toEqual({ kind: 'other' });
    expect(parseLine('#x')).toEqual({ kind: 'other' });
  });

  it('inside a form, only /cancel, /quit, /exit and /help are words; other text is an answer', () => {
    expect(parseFormLine('/cancel')).toEqual({ kind: 'cancel' });
    expect(parseFormLine('/EXIT')).toEqual({ kind: 'quit' });
    expect(parseFormLine('/help')).toEqual({ kind: 'help' });
    expect(parseFormLine('/var/log is full')).toEqual({ kind: 'answer', text: '/var/log is full' });
  });
});

describe('parseUserName', () => {
  it('lower-cases the id and keeps the name as typed', () => {
    expect(parseUserName('@Li.Wei')).toEqual({ id: 'li.wei', displayName: 'Li.Wei' });
    expect(parseUserName('alice_2')).toEqual({ id: 'alice_2', displayName: 'alice_2' });
  });

  it('rejects names that are not one word', () => {
    expect(parseUserName('li wei')).toBeUndefined();
    expect(parseUserName('')).toBeUndefined();
    expect(parseUserName('.hidden')).toBeUndefined();
  });
});

describe('parseAnswer', () => {
  const text: FormField = { id: 'title', label: 'Title', kind: 'text', required: true, maxLength: 5 };
  const notes: FormField = { id: 'notes', label: 'Notes', kind: 'textarea', required: false };
  const impact: FormField = {
    id: 'impact',
    label: 'Impact',
    kind: 'select',
    required: true,
    initial: 'medium',
    options: [
      { value: 'high', label: 'High' },
      { value: 'medium', label: 'Medium' },
      { value: 'low', label: 'Low' },
    ],
  };
  const person: FormField = { id: 'assignee', label: 'Assignee', kind: 'user', required: true };

  it('requires required fields and leaves optional ones out', () => {
    expect(parseAnswer(text, '  ', t)).toEqual({ ok: false, error: 'This field is required.' });
    expect(parseAnswer(notes, '', t)).toEqual({ ok: true, value: undefined });
  });

  it('enforces maxLength in characters', () => {
    expect(parseAnswer(text, 'abcde', t)).toEqual({ ok: true, value: 'abcde' });
    expect(parseAnswer(text, 'abcdef', t)).toEqual({ ok: false, error: 'Too long: 6 characters, at most 5.' });
    expect(parseAnswer(text, '故障故障故', t)).toEqual({ ok: true, value: '故障故障故' });
  });

  it('turns \\n into new lines in textareas only', () => {
    expect(parseAnswer(notes, 'one\\ntwo', t)).toEqual({ ok: true, value: 'one\ntwo' });
    expect(parseAnswer({ ...text, maxLength: undefined }, 'a\\nb', t)).toEqual({ ok: true, value: 'a\\nb' });
  });

  it('takes a select by number, value or label, and the default on Enter', () => {
    expect(parseAnswer(impact, '1', t)).toEqual({ ok: true, value: 'high' });
    expect(parseAnswer(impact, 'low', t)).toEqual({ ok: true, value: 'low' });
    expect(parseAnswer(impact, 'MEDIUM', t)).toEqual({ ok: true, value: 'medium' });
    expect(parseAnswer(impact, '', t)).toEqual({ ok: true, value: 'medium' });
    expect(parseAnswer(impact, '4', t)).toEqual({ ok: false, error: 'Choose 1-3, or type one of the options.' });
    expect(parseAnswer(impact, 'huge', t)).toEqual({ ok: false, error: 'Choose 1-3, or type one of the options.' });
  });

  it('takes the affected system by number, or any text (an alias or a system that is no item), within its length', () => {
    const systems = [
      { value: 'billing-db', label: 'billing-db' },
      { value: 'shop', label: 'shop' },
    ];
    const field = affectedSystemField(translator('en'), systems, { label: 'Affected system', maxLength: 10 });
    expect(field.kind).toBe('select');
    expect(parseAnswer(field, '2', t)).toEqual({ ok: true, value: 'shop' });
    expect(parseAnswer(field, 'BILLING-DB', t)).toEqual({ ok: true, value: 'billing-db' });
    expect(parseAnswer(field, 'pg-billing', t)).toEqual({ ok: true, value: 'pg-billing' });
    expect(parseAnswer(field, 'fax room', t)).toEqual({ ok: true, value: 'fax room' });
    expect(parseAnswer(field, 'the old fax room', t)).toEqual({ ok: false, error: 'Too long: 16 characters, at most 10.' });
    expect(parseAnswer(field, '', t)).toEqual({ ok: true, value: undefined });
    expect(describeField(field, t, plainStyle).join('\n')).toContain('or type any name');
  });

  it('shows the import form\'s CSV default without a literal \\n after the header, and submits it whole on Enter', () => {
    const csv = importForm(translator('en')).fields.find((f) => f.id === 'csv');
    if (!csv) throw new Error('no csv field');
    const shown = describeField(csv, t, plainStyle).join('\n');
    expect(shown).toContain(`default: ${CI_CSV_HEADER}`);
    expect(shown).not.toContain(`${CI_CSV_HEADER}\\n`);
    expect(parseAnswer(csv, '', t)).toEqual({ ok: true, value: `${CI_CSV_HEADER}\n` });
    // A default with lines inside still shows them as \n, the way they are typed.
    const notes: FormField = { id: 'notes', label: 'Notes', kind: 'textarea', required: false, initial: 'one\ntwo\n' };
    expect(describeField(notes, t, plainStyle).join('\n')).toContain('default: one\\ntwo');
  });

  it('takes a person by name, with or without @', () => {
    expect(parseAnswer(person, '@Li.Wei', t)).toEqual({ ok: true, value: 'li.wei' });
    expect(parseAnswer(person, 'li wei', t)).toEqual({ ok: false, error: "Type a person's name, e.g. li.wei" });
  });
});

describe('renderMessage', () => {
  it('prints title, fields, body, context and numbered buttons', () => {
    const lines = renderMessage(
      {
        fallback: 'INC-4 reported',
        title: '🔴 INC-4 · P1 · Mail down',
        color: 'red',
        fields: [
          { label: 'Status', value: 'Reported' },
          { label: 'Priority', value: 'P1' },
        ],
        body: 'Nobody can send mail.\nSince 09:00.',
        context: ['Reported by alice via chat'],
        buttons: [],
      },
      [
        { n: 4, button: { actionId: 'fault.ack', value: 'INC-4', label: 'Acknowledge', style: 'primary' } },
        { n: 5, button: { actionId: 'fault.resolve', value: 'INC-4', label: 'Resolve' } },
      ],
      plainStyle,
    );
    expect(lines).toEqual([
      '🔴 INC-4 · P1 · Mail down',
      'Status: Reported',
      'Priority: P1',
      'Nobody can send mail.',
      'Since 09:00.',
      'Reported by alice via chat',
      '[4] Acknowledge  [5] Resolve',
    ]);
  });

  it('falls back to the plain-text summary when there is nothing else', () => {
    expect(renderMessage({ fallback: 'Poll closed' }, [], plainStyle)).toEqual(['Poll closed']);
  });
});

describe('shell messages', () => {
  it('has the same keys and placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(key.startsWith('shell.')).toBe(true);
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });
});
