// What Discord sends (an interaction, over the gateway or HTTP) -> the chat model's inbound events.
// Every field is checked with zod and bounded in size; anything else is refused, never trusted.
import { z } from 'zod';
import type { ButtonEvent, ChatActor, CommandEvent } from '../../chat/model.js';
import { commandText, type CommandOption } from './command-text.js';
import { parseCustomId } from './custom-ids.js';

export const INTERACTION_TYPE = { ping: 1, command: 2, component: 3, autocomplete: 4, modalSubmit: 5 } as const;

const snowflake = z.string().regex(/^\d{1,20}$/);
const customId = z.string().min(1).max(100);

const userSchema = z.object({
  id: snowflake,
  username: z.string().max(64),
  global_name: z.string().max(64).nullish(),
});

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z.object({
    name: z.string().min(1).max(32),
    type: z.number().int().min(1).max(11),
    value: z.union([z.string().max(6000), z.number(), z.boolean()]).optional(),
    options: z.array(optionSchema).max(25).optional(),
    focused: z.boolean().optional(),
  }),
);

const textInputSchema = z.object({ type: z.literal(4), custom_id: customId, value: z.string().max(4000).nullish() });

/** Modal fields come back in action rows (the older layout) or in label components. */
const modalComponentSchema = z.union([
  z.object({ type: z.literal(1), components: z.array(textInputSchema).max(5) }),
  z.object({ type: z.literal(18), component: textInputSchema }),
  z.object({ type: z.literal(10) }),
]);

const baseSchema = z.object({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int().min(1).max(5),
  token: z.string().min(1).max(1000),
  locale: z.string().max(16).optional(),
  guild_id: snowflake.optional(),
  channel: z.object({ id: snowflake }).optional(),
  channel_id: snowflake.optional(),
  member: z.object({ user: userSchema, nick: z.string().max(64).nullish() }).optional(),
  user: userSchema.optional(),
  message: z.object({ id: snowflake }).optional(),
});

const commandDataSchema = z.object({
  name: z.string().min(1).max(32),
  type: z.number().int(),
  options: z.array(optionSchema).max(25).optional(),
  resolved: z.object({ users: z.record(snowflake, userSchema).optional() }).optional(),
});

const componentDataSchema = z.object({
  custom_id: customId,
  component_type: z.number().int(),
  values: z.array(z.string().max(100)).max(25).optional(),
});

const modalDataSchema = z.object({ custom_id: customId, components: z.array(modalComponentSchema).max(5) });

/** The interaction itself, for answering it. */
export interface InteractionRef {
  id: string;
  token: string;
  applicationId: string;
  type: number;
  actor: ChatActor;
  channelId?: string;
  /** The message a clicked component (or the modal it opened) sits on. */
  message?: { id: string };
}

export type DiscordInbound =
  | { kind: 'ping' }
  | { kind: 'command'; ref: InteractionRef; event: CommandEvent }
  | { kind: 'button'; ref: InteractionRef; event: ButtonEvent }
  /** A select, or a button, on one of the bot's form step messages. */
  | { kind: 'formComponent'; ref: InteractionRef; draft: string; step: number; part: string; values: string[] }
  /** `fromStep`: the modal was opened from one of the form's own step messages (which may be updated). */
  | { kind: 'modalSubmit'; ref: InteractionRef; draft: string; step: number; fromStep: boolean; values: Record<string, string> }
  /** Someone typing into an option with autocomplete: `path` is the command, group and subcommand names. */
  | { kind: 'autocomplete'; ref: InteractionRef; path: string[]; option: string; query: string }
  /** Something from an older message or modal the bot no longer understands: told so, privately. */
  | { kind: 'stale'; ref: InteractionRef; reason: string }
  /** Genuine Discord traffic the bot does not act on (autocomplete, context menus). */
  | { kind: 'ignored'; reason: string; ref?: InteractionRef };

export type AutocompleteInbound = Extract<DiscordInbound, { kind: 'autocomplete' }>;

export type InboundParse = { ok: true; inbound: DiscordInbound } | { ok: false; problem: string };

function problemOf(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}

type Base = z.infer<typeof baseSchema>;

function refOf(base: Base): InteractionRef | undefined {
  const user = base.member?.user ?? base.user;
  if (!user) return undefined;
  const actor: ChatActor = {
    platform: 'discord',
    userId: user.id,
    displayName: base.member?.nick || user.global_name || user.username || user.id,
  };
  if (base.locale) actor.locale = base.locale;
  const ref: InteractionRef = { id: base.id, token: base.token, applicationId: base.application_id, type: base.type, actor };
  const channelId = base.channel?.id ?? base.channel_id;
  if (channelId) ref.channelId = channelId;
  if (base.message) ref.message = { id: base.message.id };
  return ref;
}

export function parseInteraction(payload: unknown): InboundParse {
  const base = baseSchema.safeParse(payload);
  if (!base.success) return { ok: false, problem: problemOf(base.error) };
  if (base.data.type === INTERACTION_TYPE.ping) return { ok: true, inbound: { kind: 'ping' } };
  const ref = refOf(base.data);
  if (!ref) return { ok: false, problem: 'user: neither member.user nor user' };
  const data: unknown = Reflect.get(payload as object, 'data');
  switch (base.data.type) {
    case INTERACTION_TYPE.command:
      return parseCommand(ref, data);
    case INTERACTION_TYPE.component:
      return parseComponent(ref, data);
    case INTERACTION_TYPE.modalSubmit:
      return parseModalSubmit(ref, data);
    case INTERACTION_TYPE.autocomplete:
      return parseAutocomplete(ref, data);
    default:
      return { ok: true, inbound: { kind: 'ignored', reason: `interaction type ${base.data.type}`, ref } };
  }
}

function parseCommand(ref: InteractionRef, raw: unknown): InboundParse {
  const parsed = commandDataSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const data = parsed.data;
  // Only slash commands (type 1); the bot registers no context-menu commands.
  if (data.type !== 1) return { ok: true, inbound: { kind: 'ignored', reason: `command type ${data.type}`, ref } };
  const event: CommandEvent = { type: 'command', actor: ref.actor, command: data.name, text: commandText(data.options, data.resolved?.users ?? {}) };
  if (ref.channelId) event.channelId = ref.channelId;
  return { ok: true, inbound: { kind: 'command', ref, event } };
}

/** The focused option of an autocomplete interaction, under its subcommand (and group) if any. */
function parseAutocomplete(ref: InteractionRef, raw: unknown): InboundParse {
  const parsed = commandDataSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const path = [parsed.data.name];
  let options = parsed.data.options ?? [];
  // Subcommands (1) and groups (2) nest the typed options one or two levels down.
  for (let first = options[0]; first && (first.type === 1 || first.type === 2); first = options[0]) {
    path.push(first.name);
    options = first.options ?? [];
  }
  const focused = options.find((o) => o.focused === true);
  if (!focused) return { ok: true, inbound: { kind: 'ignored', reason: 'autocomplete without a focused option', ref } };
  return { ok: true, inbound: { kind: 'autocomplete', ref, path, option: focused.name, query: String(focused.value ?? '') } };
}

function parseComponent(ref: InteractionRef, raw: unknown): InboundParse {
  const parsed = componentDataSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const route = parseCustomId(parsed.data.custom_id);
  switch (route.kind) {
    case 'button': {
      const event: ButtonEvent = { type: 'button', actor: ref.actor, actionId: route.actionId, value: route.value };
      if (ref.channelId) event.channelId = ref.channelId;
      return { ok: true, inbound: { kind: 'button', ref, event } };
    }
    case 'form':
      return { ok: true, inbound: { kind: 'formComponent', ref, draft: route.draft, step: route.step, part: route.part, values: parsed.data.values ?? [] } };
    case 'unknown':
      return { ok: true, inbound: { kind: 'stale', ref, reason: 'component with an unknown custom_id' } };
  }
}

function parseModalSubmit(ref: InteractionRef, raw: unknown): InboundParse {
  const parsed = modalDataSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: problemOf(parsed.error) };
  const route = parseCustomId(parsed.data.custom_id);
  if (route.kind !== 'form' || (route.part !== 'modal' && route.part !== 'mstep')) return { ok: true, inbound: { kind: 'stale', ref, reason: 'modal with an unknown custom_id' } };
  const values: Record<string, string> = {};
  for (const component of parsed.data.components) {
    const inputs = component.type === 1 ? component.components : component.type === 18 ? [component.component] : [];
    for (const input of inputs) values[input.custom_id] = input.value ?? '';
  }
  return { ok: true, inbound: { kind: 'modalSubmit', ref, draft: route.draft, step: route.step, fromStep: route.part === 'mstep', values } };
}
