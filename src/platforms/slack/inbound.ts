// What Slack sends (slash command fields, interaction payloads) -> the chat model's inbound events.
// Every field is checked with zod and bounded in size; anything else is refused, never trusted.
import { z } from 'zod';
import type { ButtonEvent, ChatActor, CommandEvent, FormSubmitEvent } from '../../chat/model.js';
import { chatActionId } from './action-ids.js';
import { OTHER_SUFFIX, decodeFormMetadata } from './modal.js';

/** One Slack request in the chat model, with what the adapter needs to answer it. */
export type SlackInbound =
  | { kind: 'command'; event: CommandEvent; triggerId: string; responseUrl: string }
  | { kind: 'button'; event: ButtonEvent; triggerId: string; responseUrl?: string }
  | { kind: 'formSubmit'; event: FormSubmitEvent; inputs: FormInput[] }
  /** Genuine Slack traffic the bot does not act on (a modal closed, a shortcut...). */
  | { kind: 'ignored'; reason: string };

export type CommandInbound = Extract<SlackInbound, { kind: 'command' }>;
export type ButtonInbound = Extract<SlackInbound, { kind: 'button' }>;
export type FormSubmitInbound = Extract<SlackInbound, { kind: 'formSubmit' }>;
export type IgnoredInbound = Extract<SlackInbound, { kind: 'ignored' }>;

/** An input of the submitted modal: field errors can only be attached to these. */
export interface FormInput {
  id: string;
  label: string;
}

export type Parsed<T extends SlackInbound> = { ok: true; inbound: T } | { ok: false; problem: string };
export type InboundParse = Parsed<SlackInbound>;

const id = z.string().min(1).max(64);
const name = z.string().max(255);
const url = z.string().max(2000).startsWith('http');

export const slashCommandSchema = z.object({
  token: z.string().max(255).optional(),
  team_id: id.optional(),
  team_domain: name.optional(),
  channel_id: id.optional(),
  channel_name: name.optional(),
  user_id: id,
  user_name: name.optional(),
  command: z.string().min(2).max(64).startsWith('/'),
  text: z.string().max(8000).default(''),
  response_url: url,
  trigger_id: z.string().min(1).max(255),
  api_app_id: id.optional(),
});

const userSchema = z.object({
  id,
  name: name.optional(),
  username: name.optional(),
  locale: z.string().max(32).optional(),
});

const blockActionSchema = z.object({
  type: z.literal('block_actions'),
  user: userSchema,
  trigger_id: z.string().min(1).max(255),
  response_url: url.optional(),
  channel: z.object({ id }).optional(),
  container: z.object({ channel_id: id.optional() }).optional(),
  actions: z
    .array(z.object({ action_id: z.string().min(1).max(255), value: z.string().max(2000).optional() }))
    .min(1)
    .max(25),
});

const stateValueSchema = z.object({
  type: z.string().max(64),
  value: z.string().max(100_000).nullish(),
  selected_option: z.object({ value: z.string().max(150) }).nullish(),
  selected_user: z.string().max(64).nullish(),
});

const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user: userSchema,
  view: z.object({
    callback_id: z.string().min(1).max(255),
    private_metadata: z.string().max(3000).optional(),
    blocks: z
      .array(
        z.object({
          type: z.string().max(64),
          block_id: z.string().max(255).optional(),
          label: z.object({ text: z.string().max(2000) }).optional(),
        }),
      )
      .max(100),
    state: z.object({ values: z.record(z.string().max(255), z.record(z.string().max(255), stateValueSchema)) }),
  }),
});

const anyInteractionSchema = z.object({ type: z.string().max(64) });

type SlackUser = { id: string; name?: string | undefined; username?: string | undefined; locale?: string | undefined };

function actorOf(user: SlackUser): ChatActor {
  // Slash commands carry `user_name`; interactions carry `user.name` and `user.username`.
  const actor: ChatActor = { platform: 'slack', userId: user.id, displayName: user.name || user.username || user.id };
  if (user.locale) actor.locale = user.locale;
  return actor;
}

function problemOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

/** Slash command fields (form fields over HTTP, the envelope payload in Socket Mode). */
export function parseSlashCommand(fields: unknown): Parsed<CommandInbound> {
  const parsed = slashCommandSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const body = parsed.data;
  const event: CommandEvent = {
    type: 'command',
    actor: actorOf({ id: body.user_id, name: body.user_name }),
    command: body.command.slice(1),
    text: body.text.trim(),
  };
  if (body.channel_id) event.channelId = body.channel_id;
  return { ok: true, inbound: { kind: 'command', event, triggerId: body.trigger_id, responseUrl: body.response_url } };
}

/** An interaction payload (the JSON in the `payload` form field, or the Socket Mode envelope payload). */
export function parseInteraction(payload: unknown): InboundParse {
  const base = anyInteractionSchema.safeParse(payload);
  if (!base.success) return { ok: false, problem: problemOf(base.error) };
  switch (base.data.type) {
    case 'block_actions':
      return parseBlockActions(payload);
    case 'view_submission':
      return parseViewSubmission(payload);
    default:
      return { ok: true, inbound: { kind: 'ignored', reason: `interaction ${base.data.type}` } };
  }
}

/** A `block_actions` payload: a button clicked on one of the bot's messages. */
export function parseBlockActions(payload: unknown): Parsed<ButtonInbound> {
  const parsed = blockActionSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const body = parsed.data;
  // Slack sends one action per click; the schema guarantees at least one.
  const action = body.actions[0];
  if (!action) return { ok: false, problem: 'actions: empty' };
  const event: ButtonEvent = {
    type: 'button',
    actor: actorOf(body.user),
    actionId: chatActionId(action.action_id),
    value: action.value ?? '',
  };
  const channelId = body.channel?.id ?? body.container?.channel_id;
  if (channelId) event.channelId = channelId;
  const inbound: ButtonInbound = { kind: 'button', event, triggerId: body.trigger_id };
  if (body.response_url) inbound.responseUrl = body.response_url;
  return { ok: true, inbound };
}

/** A `view_submission` payload: one of the bot's modals submitted (another app's view is ignored). */
export function parseViewSubmission(payload: unknown): Parsed<FormSubmitInbound | IgnoredInbound> {
  const parsed = viewSubmissionSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const { user, view } = parsed.data;
  const metadata = decodeFormMetadata(view.private_metadata);
  // Only modals the bot opened carry our metadata; another app's view is not ours to handle.
  if (!metadata) return { ok: true, inbound: { kind: 'ignored', reason: 'view without our private_metadata' } };
  const inputs: FormInput[] = [];
  for (const block of view.blocks) {
    if (block.type === 'input' && block.block_id) inputs.push({ id: block.block_id, label: block.label?.text ?? block.block_id });
  }
  const event: FormSubmitEvent = {
    type: 'formSubmit',
    actor: actorOf(user),
    formId: view.callback_id,
    context: metadata.context,
    values: submittedValues(
      inputs.map((input) => input.id),
      view.state.values,
    ),
  };
  if (metadata.channelId) event.channelId = metadata.channelId;
  return { ok: true, inbound: { kind: 'formSubmit', event, inputs } };
}

type StateValue = z.infer<typeof stateValueSchema>;

/**
 * Values sit at `state.values[block_id][action_id]`; the bot uses the field id for both. An input
 * left empty comes back as null (or not at all) and becomes ''.
 */
export function submittedValues(inputIds: string[], state: Record<string, Record<string, StateValue>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const fieldId of inputIds) {
    const actions = state[fieldId] ?? {};
    const entry = actions[fieldId] ?? Object.values(actions)[0];
    values[fieldId] = entry ? valueOf(entry) : '';
  }
  // The "other" text input beside a freeText select (modal.ts): typed text replaces the choice.
  for (const fieldId of inputIds.filter((id) => id.endsWith(OTHER_SUFFIX))) {
    const typed = values[fieldId]?.trim() ?? '';
    const base = fieldId.slice(0, -OTHER_SUFFIX.length);
    if (typed !== '' && base in values) values[base] = typed;
    Reflect.deleteProperty(values, fieldId);
  }
  return values;
}

function valueOf(entry: StateValue): string {
  switch (entry.type) {
    case 'static_select':
    case 'external_select':
      return entry.selected_option?.value ?? '';
    case 'users_select':
      return entry.selected_user ?? '';
    default:
      return entry.value ?? '';
  }
}
