import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { affectedSystemField } from '../../src/cis/forms.js';
import type { InputBlock } from '@slack/web-api';
import type { ChatForm } from '../../src/chat/model.js';
import { planSteps } from '../../src/platforms/discord/forms.js';
import { submittedValues } from '../../src/platforms/slack/inbound.js';
import { renderModal } from '../../src/platforms/slack/modal.js';

const systems = [
  { value: 'billing-db', label: 'billing-db' },
  { value: 'shop', label: 'shop' },
];

function form(locale: 'en' | 'zh-CN'): ChatForm {
  const field = affectedSystemField(translator(locale), systems, { label: 'Affected system', maxLength: 150 });
  return { formId: 'fault.report', title: 'Report', submitLabel: 'Report', context: '', fields: [{ id: 'title', label: 'Title', kind: 'text', required: true }, field] };
}

describe('the affected system where a platform can only choose', () => {
  it('Slack: a static select with an optional "other" text input beside it, in the user language', () => {
    const view = renderModal(form('en'), { closeLabel: 'Cancel' });
    const inputs = view.blocks as InputBlock[];
    const blocks = inputs.map((b) => [b.block_id, b.element.type, b.optional, b.label.text]);
    expect(blocks).toEqual([
      ['title', 'plain_text_input', false, 'Title'],
      ['affectedSystem', 'static_select', true, 'Affected system'],
      ['affectedSystem.other', 'plain_text_input', true, 'Other system (type it: a name, an alias, or a system not in the list)'],
    ]);
    const zh = (renderModal(form('zh-CN'), { closeLabel: '取消' }).blocks as InputBlock[])[2];
    expect(zh?.label.text).toBe('其他系统（直接输入：名称、别名或列表外的系统）');
  });

  it('Slack: text typed in "other" replaces the choice; the choice stays when it is empty', () => {
    const ids = ['title', 'affectedSystem', 'affectedSystem.other'];
    const state = (chosen: string | null, typed: string | null) => ({
      title: { title: { type: 'plain_text_input', value: 'Down' } },
      affectedSystem: { affectedSystem: { type: 'static_select', selected_option: chosen ? { value: chosen } : null } },
      'affectedSystem.other': { 'affectedSystem.other': { type: 'plain_text_input', value: typed } },
    });
    expect(submittedValues(ids, state('shop', null))).toEqual({ title: 'Down', affectedSystem: 'shop' });
    expect(submittedValues(ids, state(null, ' pg-billing '))).toEqual({ title: 'Down', affectedSystem: 'pg-billing' });
    expect(submittedValues(ids, state('shop', 'fax room'))).toEqual({ title: 'Down', affectedSystem: 'fax room' });
  });

  it('Discord: asked as text (a select menu takes no typed text)', () => {
    expect(planSteps(form('en')).map((s) => [s.kind, s.fields.map((f) => f.id)])).toEqual([['modal', ['title', 'affectedSystem']]]);
  });
});
