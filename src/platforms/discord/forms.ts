// ChatForm -> Discord. A modal holds at most five text inputs and no select menus, so a form is taken
// in steps: first its text fields in modals (five to a modal), then its choices (select and user
// fields) as select menus on a private message, four to a message with the submit button below.
// The fault report thus becomes: modal (title, description, affected system), then a message with
// category, impact and urgency preselected where the form has defaults, and "Report".
import {
  ButtonStyle,
  ComponentType,
  SelectMenuDefaultValueType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
} from 'discord.js';
import type { Translate } from '../../chat/i18n/catalog.js';
import type { ChatForm, FormField } from '../../chat/model.js';
import { formCustomId } from './custom-ids.js';
import { DISCORD_LIMITS as L } from './limits.js';
import type { DiscordMessagePayload, MessageRow } from './render.js';
import { fit, fitNonEmpty } from './text.js';

export type FormStep = { kind: 'modal'; fields: FormField[] } | { kind: 'choices'; fields: FormField[] };

/** Rows of select menus per message; the fifth row holds the button. */
const CHOICES_PER_STEP = L.actionRows - 1;

/** How a modal was opened: from one of the form's own step messages, or from elsewhere. */
export type ModalSource = 'modal' | 'mstep';

/** A form whose ids cannot be carried in custom_ids: a bug in the caller, refused loudly. */
export class FormTooLargeError extends Error {}

/**
 * A select with options Discord can show (1-25); other selects are asked as text, and so is a
 * `freeText` select (a select menu takes no typed text; the text is matched to an option on submission).
 */
function isChoice(field: FormField): boolean {
  if (field.kind === 'user') return true;
  if (field.freeText) return false;
  const options = field.options ?? [];
  return field.kind === 'select' && options.length > 0 && options.length <= L.selectOptions && options.every((o) => o.value.length <= L.selectOptionText);
}

export function planSteps(form: ChatForm): FormStep[] {
  const texts = form.fields.filter((f) => !isChoice(f));
  const choices = form.fields.filter(isChoice);
  const steps: FormStep[] = [];
  for (let i = 0; i < texts.length; i += L.modalComponents) steps.push({ kind: 'modal', fields: texts.slice(i, i + L.modalComponents) });
  for (let i = 0; i < choices.length; i += CHOICES_PER_STEP) steps.push({ kind: 'choices', fields: choices.slice(i, i + CHOICES_PER_STEP) });
  return steps;
}

/** The step that asks for a field. */
export function stepOf(steps: FormStep[], fieldId: string): number | undefined {
  const index = steps.findIndex((step) => step.fields.some((f) => f.id === fieldId));
  return index === -1 ? undefined : index;
}

function checkId(draft: string, step: number, fieldId: string): void {
  if (formCustomId(draft, step, fieldId).length > L.customId) throw new FormTooLargeError(`field id "${fieldId}" is too long for a custom_id`);
}

function modalTitle(form: ChatForm, steps: FormStep[], step: number): string {
  const modalCount = steps.filter((s) => s.kind === 'modal').length;
  if (modalCount <= 1) return fitNonEmpty(form.title, L.modalTitle);
  const suffix = ` (${step + 1}/${modalCount})`;
  return `${fitNonEmpty(form.title, L.modalTitle - suffix.length)}${suffix}`;
}

/** The modal of a text step, prefilled with what was typed before (or the form's initial values). */
export function renderModal(
  draft: { id: string; form: ChatForm; values: Record<string, string> },
  step: number,
  source: ModalSource,
): APIModalInteractionResponseCallbackData {
  const steps = planSteps(draft.form);
  const current = steps[step];
  if (current?.kind !== 'modal') throw new FormTooLargeError(`step ${step} is not a modal`);
  return {
    custom_id: formCustomId(draft.id, step, source),
    title: modalTitle(draft.form, steps, step),
    components: current.fields.map((field) => {
      if (field.id.length > L.customId) throw new FormTooLargeError(`field id "${field.id}" is too long for a custom_id`);
      const maxLength = Math.min(field.maxLength ?? L.textInputValue, L.textInputValue);
      const value = (draft.values[field.id] ?? field.initial ?? '').slice(0, maxLength);
      return {
        type: ComponentType.Label,
        label: fitNonEmpty(field.label, L.modalLabel),
        ...(field.hint?.trim() ? { description: fit(field.hint.trim(), L.modalDescription) } : {}),
        component: {
          type: ComponentType.TextInput,
          custom_id: field.id,
          style: field.kind === 'textarea' ? TextInputStyle.Paragraph : TextInputStyle.Short,
          required: field.required,
          max_length: maxLength,
          ...(value ? { value } : {}),
        },
      };
    }),
  };
}

function selectRow(draftId: string, step: number, field: FormField, current: string | undefined): APIActionRowComponent<APIComponentInMessageActionRow> {
  checkId(draftId, step, field.id);
  const placeholder = fitNonEmpty(field.hint?.trim() ? `${field.label}: ${field.hint.trim()}` : field.label, L.selectPlaceholder);
  const base = { custom_id: formCustomId(draftId, step, field.id), placeholder, min_values: field.required ? 1 : 0, max_values: 1 };
  if (field.kind === 'user') {
    return {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.UserSelect, ...base, ...(current ? { default_values: [{ id: current, type: SelectMenuDefaultValueType.User }] } : {}) }],
    };
  }
  // Each option names its field, so that a chosen value reads "Impact: 2 Medium" where the
  // select shows it: a select menu has no label of its own.
  const options: APISelectMenuOption[] = (field.options ?? []).map((option) => ({
    label: fitNonEmpty(`${field.label}: ${option.label}`, L.selectOptionText),
    value: option.value,
    ...(option.value === current ? { default: true } : {}),
  }));
  return { type: ComponentType.ActionRow, components: [{ type: ComponentType.StringSelect, ...base, options }] };
}

/** The value a choice shows as chosen: what was picked, else the form's default. */
export function choiceValue(field: FormField, values: Record<string, string>): string | undefined {
  const value = values[field.id] ?? field.initial;
  if (!value) return undefined;
  if (field.kind === 'select' && !(field.options ?? []).some((o) => o.value === value)) return undefined;
  // A user select can only preselect a Discord user (an initial from another platform is dropped).
  if (field.kind === 'user' && !/^\d{17,20}$/.test(value)) return undefined;
  return value;
}

/** A private message with the select menus of a choice step and the button that goes on. */
export function renderChoiceStep(
  draft: { id: string; form: ChatForm; values: Record<string, string> },
  step: number,
  t: Translate,
  problem?: string,
): DiscordMessagePayload {
  const steps = planSteps(draft.form);
  const current = steps[step];
  if (current?.kind !== 'choices') throw new FormTooLargeError(`step ${step} is not a choice step`);
  const last = step === steps.length - 1;
  const rows: MessageRow[] = current.fields.map((field) => selectRow(draft.id, step, field, choiceValue(field, draft.values)));
  rows.push(nextButton(draft.id, step, 'next', last ? draft.form.submitLabel : t('discord.form.continue')));
  const lines = [`**${draft.form.title.trim()}**`, t(last ? 'discord.form.choose' : 'discord.form.chooseThenContinue', { submit: draft.form.submitLabel })];
  if (problem) lines.push(`⚠ ${problem}`);
  return { content: fit(lines.join('\n'), L.content), embeds: [], components: rows, allowed_mentions: { parse: [] } };
}

/** A private message whose button opens the next modal (a modal cannot answer a modal). */
export function renderGate(draft: { id: string; form: ChatForm }, step: number, t: Translate, text?: string, part: 'open' | 'edit' = 'open'): DiscordMessagePayload {
  const lines = [`**${draft.form.title.trim()}**`, text ?? t('discord.form.openPrompt')];
  return {
    content: fit(lines.join('\n'), L.content),
    embeds: [],
    components: [nextButton(draft.id, step, part, t(part === 'edit' ? 'discord.form.edit' : 'discord.form.open'))],
    allowed_mentions: { parse: [] },
  };
}

function nextButton(draftId: string, step: number, part: string, label: string): MessageRow {
  return {
    type: ComponentType.ActionRow,
    components: [{ type: ComponentType.Button, custom_id: formCustomId(draftId, step, part), label: fitNonEmpty(label, L.buttonLabel), style: ButtonStyle.Primary }],
  };
}

/** Required choices of a step that have no value yet. */
export function missingChoices(step: FormStep, values: Record<string, string>): FormField[] {
  return step.fields.filter((field) => field.required && !choiceValue(field, values));
}

/** Every field of the form with its value, as the runtime's form handlers expect them. */
export function submittedValues(form: ChatForm, values: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const field of form.fields) result[field.id] = isChoice(field) ? choiceValue(field, values) ?? '' : values[field.id] ?? '';
  return result;
}
