// ChatForm -> Slack modal, and the way back: the submitted view's state -> form values.
import type { ExternalSelect, InputBlock, InputBlockElement, ModalView, PlainTextOption } from '@slack/web-api';
import type { ChatForm, FormField, SuggestSource } from '../../chat/model.js';
import { SUGGEST_MIN_QUERY, suggestActionId } from './action-ids.js';
import { SLACK_LIMITS } from './limits.js';
import { ELLIPSIS, truncatePlain } from './truncate.js';

/** What a modal carries back to us in `private_metadata`: the form's context and where it was opened. */
export interface FormMetadata {
  context: string;
  channelId?: string;
}

export interface ModalOptions {
  /** The channel the form was opened from; private replies to the submission go there. */
  channelId?: string;
  /** Label of the modal's close button, in the user's language. */
  closeLabel: string;
}

/**
 * A form whose ids or context do not fit Slack cannot be repaired by cutting (the submission would
 * come back to the wrong handler or record), so it is refused loudly: that is a bug in the caller.
 */
export class FormTooLargeError extends Error {}

export function renderModal(form: ChatForm, options: ModalOptions): ModalView {
  if (form.formId.length > SLACK_LIMITS.callbackId) throw new FormTooLargeError(`formId longer than ${SLACK_LIMITS.callbackId}`);
  if (form.fields.length > SLACK_LIMITS.blocksPerModal) throw new FormTooLargeError(`more than ${SLACK_LIMITS.blocksPerModal} fields`);
  const privateMetadata = encodeFormMetadata({ context: form.context, channelId: options.channelId });
  if (privateMetadata.length > SLACK_LIMITS.privateMetadata) {
    throw new FormTooLargeError(`form context does not fit private_metadata (${privateMetadata.length} chars)`);
  }
  return {
    type: 'modal',
    callback_id: form.formId,
    title: plain(form.title, SLACK_LIMITS.modalTitle),
    submit: plain(form.submitLabel, SLACK_LIMITS.modalButton),
    close: plain(options.closeLabel, SLACK_LIMITS.modalButton),
    private_metadata: privateMetadata,
    blocks: form.fields.flatMap((field) => (freeTextSelect(field) ? [inputBlock(field), otherBlock(field)] : [inputBlock(field)])),
  };
}

/** Block id of the text input beside a `freeText` select: its text replaces the choice (inbound.ts). */
export const OTHER_SUFFIX = '.other';

function freeTextSelect(field: FormField): field is FormField & { freeText: { otherLabel: string } } {
  return field.freeText !== undefined && !field.suggest && field.kind === 'select' && selectOptions(field).length > 0;
}

/** A static_select takes no typed text, so a `freeText` select gets an optional text input beside it. */
function otherBlock(field: FormField & { freeText: { otherLabel: string } }): InputBlock {
  return inputBlock({ id: `${field.id}${OTHER_SUFFIX}`, label: field.freeText.otherLabel, kind: 'text', required: false, ...(field.maxLength ? { maxLength: field.maxLength } : {}) });
}

export function encodeFormMetadata(metadata: FormMetadata): string {
  return JSON.stringify(metadata.channelId ? { c: metadata.context, ch: metadata.channelId } : { c: metadata.context });
}

/** Reads our own private_metadata back; anything else (or nothing) gives undefined. */
export function decodeFormMetadata(raw: string | undefined): FormMetadata | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const context: unknown = Reflect.get(parsed, 'c');
  const channelId: unknown = Reflect.get(parsed, 'ch');
  if (typeof context !== 'string') return undefined;
  return typeof channelId === 'string' && channelId ? { context, channelId } : { context };
}

function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: truncatePlain(text.trim() || ELLIPSIS, max), emoji: true };
}

function inputBlock(field: FormField): InputBlock {
  if (field.id.length > SLACK_LIMITS.blockId) throw new FormTooLargeError(`field id longer than ${SLACK_LIMITS.blockId}`);
  const block: InputBlock = {
    type: 'input',
    block_id: field.id,
    optional: !field.required,
    label: plain(field.label, SLACK_LIMITS.inputLabel),
    element: inputElement(field),
  };
  if (field.hint?.trim()) block.hint = plain(field.hint, SLACK_LIMITS.inputHint);
  return block;
}

function inputElement(field: FormField): InputBlockElement {
  if (field.suggest) return externalSelect(field, field.suggest);
  const options = selectOptions(field);
  if (field.kind === 'select' && options.length > 0) {
    const initial = options.find((option) => option.value === field.initial);
    return { type: 'static_select', action_id: field.id, options, ...(initial ? { initial_option: initial } : {}) };
  }
  if (field.kind === 'user') {
    return { type: 'users_select', action_id: field.id, ...(field.initial ? { initial_user: field.initial } : {}) };
  }
  // Text, text areas, and selects left without a usable option (Slack refuses an empty select).
  const maxLength = Math.min(field.maxLength ?? SLACK_LIMITS.plainTextInputMaxLength, SLACK_LIMITS.plainTextInputMaxLength);
  return {
    type: 'plain_text_input',
    action_id: field.id,
    multiline: field.kind === 'textarea',
    max_length: maxLength,
    ...(field.initial ? { initial_value: field.initial.slice(0, maxLength) } : {}),
  };
}

/**
 * A searchable choice: Slack asks the bot for options as the person types (block_suggestion,
 * answered in suggestions.ts). The action id names the source, so the answer needs no other state;
 * the value comes back like a static select's, at `state.values[field id]`.
 */
function externalSelect(field: FormField, source: SuggestSource): ExternalSelect {
  const actionId = suggestActionId(source, field.id);
  if (actionId.length > SLACK_LIMITS.actionId) throw new FormTooLargeError(`field id longer than ${SLACK_LIMITS.actionId - actionId.length + field.id.length}`);
  // An initial value too long for an option value cannot be shown as chosen; the person picks again.
  const initial = field.initial?.trim();
  const initialOption = initial && initial.length <= SLACK_LIMITS.externalOptionValue ? { text: plain(initial, SLACK_LIMITS.optionText), value: initial } : undefined;
  return { type: 'external_select', action_id: actionId, min_query_length: SUGGEST_MIN_QUERY, ...(initialOption ? { initial_option: initialOption } : {}) };
}

/** Slack allows 100 options with values up to 75 characters; a longer value cannot be cut, so it is left out. */
function selectOptions(field: FormField): PlainTextOption[] {
  return (field.options ?? [])
    .filter((option) => option.value.length > 0 && option.value.length <= SLACK_LIMITS.optionValue)
    .slice(0, SLACK_LIMITS.selectOptions)
    .map((option) => ({ text: plain(option.label, SLACK_LIMITS.optionText), value: option.value }));
}
