// The other half of the fake: Discord sending interactions to the bot, over the gateway
// (INTERACTION_CREATE) or as signed HTTP requests to /discord/interactions. Commands are built from
// the commands the bot registered (so a command that was not registered cannot be used), and the
// Discord client's own checks apply: a button must be on the message, a choice among the choices, a
// required modal field filled in.
import { InteractionSigner, type SignatureMode } from './signer.js';
import type { DiscordUser, FakeDiscordServer, InteractionRecord, Json, ModalRecord, StoredMessage } from './server.js';
import { isRecord } from './validator.js';

export type Transport = { kind: 'gateway' } | { kind: 'http'; url: string; signer: InteractionSigner };

export interface InteractionResult {
  record: InteractionRecord;
  /** The initial response as Discord took it, when it came in time and was valid. */
  response?: { type: number; data?: Json };
  /** HTTP mode: the status the bot answered with. */
  status?: number;
  elapsedMs: number;
  /** What Discord refused about the answer; empty when all is well. */
  problems: string[];
}

export type OptionValue = string | DiscordUser;

const WAIT_FOR_RESPONSE_MS = 3_500;

function optionNodes(node: Json): Json[] {
  return Array.isArray(node.options) ? node.options.filter(isRecord) : [];
}

/** Every custom_id on a message, in order. */
export function customIdsOf(message: StoredMessage | undefined): string[] {
  const ids: string[] = [];
  for (const row of message?.components ?? []) {
    for (const child of Array.isArray(row.components) ? row.components : []) {
      if (isRecord(child) && typeof child.custom_id === 'string') ids.push(child.custom_id);
    }
  }
  return ids;
}

/** The chat-model action ids of a message's buttons (`fault.ack`...), in order. */
export function buttonActions(message: StoredMessage | undefined): string[] {
  return customIdsOf(message)
    .filter((id) => /^a(~\d+)?\|/.test(id))
    .map((id) => id.split('|')[1] ?? '');
}

/** Everything a message says, as one string, to assert on what people see. */
export function textOf(message: StoredMessage | undefined): string {
  return message ? `${message.content}\n${JSON.stringify(message.embeds)}` : '';
}

const GATEWAY_SESSION_WAIT_MS = 10_000;

export class DiscordBotDriver {
  constructor(
    private readonly fake: FakeDiscordServer,
    private readonly transport: Transport,
  ) {}

  /** Delivers an interaction and waits for the initial response (at most ~3.5 s). */
  async send(record: InteractionRecord, signature: SignatureMode = 'valid'): Promise<InteractionResult> {
    const started = Date.now();
    if (this.transport.kind === 'gateway') {
      // A person clicks while the bot is connected: on a loaded machine discord.js may be between a
      // missed heartbeat and its resumed session, so wait for a session rather than fail the test.
      await this.fake.waitFor(() => (this.fake.hasGatewaySession ? true : undefined), GATEWAY_SESSION_WAIT_MS);
      this.fake.dispatchInteraction(record);
      await this.fake.waitFor(() => (record.initial || record.problems.length > 0 ? true : undefined), WAIT_FOR_RESPONSE_MS).catch(() => undefined);
      return this.result(record, started);
    }
    const body = JSON.stringify(record.payload);
    const response = await fetch(this.transport.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.transport.signer.headers(body, signature) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (response.status === 200) this.fake.acceptHttpResponse(record, response.status, parsed);
    return { ...this.result(record, started), status: response.status };
  }

  private result(record: InteractionRecord, started: number): InteractionResult {
    const elapsedMs = Date.now() - started;
    const problems = [...record.problems];
    if (!record.initial && problems.length === 0) problems.push(`no initial response within ${WAIT_FOR_RESPONSE_MS} ms`);
    return {
      record,
      elapsedMs,
      problems,
      ...(record.initial ? { response: { type: record.initial.type, ...(record.initial.data ? { data: record.initial.data } : {}) } } : {}),
    };
  }

  /** HTTP mode only: Discord's PING when the endpoint URL is saved in the Developer Portal. */
  async ping(signature: SignatureMode = 'valid'): Promise<{ status: number; body: string }> {
    if (this.transport.kind !== 'http') throw new Error('PING is only sent over HTTP');
    const record = this.fake.mintInteraction({ type: 1, user: { id: '0', username: 'discord' }, channelId: '0' });
    const { member: _member, user: _user, channel: _channel, channel_id: _channelId, guild_id: _guild, ...payload } = record.payload;
    const body = JSON.stringify(payload);
    const response = await fetch(this.transport.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.transport.signer.headers(body, signature) },
      body,
    });
    return { status: response.status, body: await response.text() };
  }

  /**
   * `/ops role add user:@li.wei role:engineer` is `command({ command: 'ops role add', options: { user: LI_WEI, role: 'engineer' } })`.
   * Built from the registered commands, checked the way the Discord client checks what people type.
   */
  buildCommand(input: { user: DiscordUser; channelId: string; command: string; options?: Record<string, OptionValue> }, focused?: string): InteractionRecord {
    const [name = '', ...path] = input.command.trim().split(/\s+/);
    const registered = this.fake.registered.guilds.get(this.fake.guildId) ?? this.fake.registered.global ?? [];
    const command = registered.find((c) => c.name === name);
    if (!command) throw new Error(`fake discord: /${name} is not registered`);
    const users: Record<string, Json> = {};
    const values = (node: Json): Json[] => {
      const given = { ...input.options };
      const result: Json[] = [];
      for (const option of optionNodes(node)) {
        const optionName = String(option.name);
        const value = given[optionName];
        delete given[optionName];
        if (value === undefined) {
          // While typing (autocomplete), required options may still be empty.
          if (option.required === true && focused === undefined) throw new Error(`fake discord: option ${optionName} is required`);
          continue;
        }
        if (optionName === focused) {
          if (option.autocomplete !== true) throw new Error(`fake discord: option ${optionName} was not registered with autocomplete`);
          if (typeof value !== 'string') throw new Error(`fake discord: option ${optionName} takes text`);
          // What is typed so far need not be a valid value yet.
          result.push({ name: optionName, type: option.type, value, focused: true });
          continue;
        }
        if (option.type === 6) {
          if (typeof value === 'string') throw new Error(`fake discord: option ${optionName} takes a user`);
          users[value.id] = { id: value.id, username: value.username, global_name: value.globalName ?? null, discriminator: '0', avatar: null };
          result.push({ name: optionName, type: 6, value: value.id });
          continue;
        }
        if (typeof value !== 'string') throw new Error(`fake discord: option ${optionName} takes text`);
        const choices = Array.isArray(option.choices) ? option.choices.filter(isRecord) : undefined;
        if (choices && !choices.some((c) => c.value === value)) throw new Error(`fake discord: ${value} is not a choice of ${optionName}`);
        result.push({ name: optionName, type: option.type, value });
      }
      const unknown = Object.keys(given);
      if (unknown.length > 0) throw new Error(`fake discord: unknown options ${unknown.join(', ')}`);
      return result;
    };
    let options: Json[];
    const first = optionNodes(command)[0];
    if (first && (first.type === 1 || first.type === 2)) {
      const [subName, subSubName] = path;
      const sub = optionNodes(command).find((o) => o.name === subName);
      if (!sub) throw new Error(`fake discord: /${name} has no subcommand ${String(subName)}`);
      if (sub.type === 2) {
        const leaf = optionNodes(sub).find((o) => o.name === subSubName);
        if (!leaf) throw new Error(`fake discord: /${name} ${String(subName)} has no subcommand ${String(subSubName)}`);
        options = [{ name: sub.name, type: 2, options: [{ name: leaf.name, type: 1, options: values(leaf) }] }];
      } else {
        options = [{ name: sub.name, type: 1, options: values(sub) }];
      }
    } else {
      options = values(command);
    }
    const data: Json = { id: String(command.id), name, type: 1, options, ...(this.fake.registered.guilds.has(this.fake.guildId) ? { guild_id: this.fake.guildId } : {}) };
    if (Object.keys(users).length > 0) data.resolved = { users };
    return this.fake.mintInteraction({ type: focused === undefined ? 2 : 4, user: input.user, channelId: input.channelId, data });
  }

  /**
   * Someone typing `typed` into option `focused` of a command (interaction type 4); the answer is
   * checked against Discord's limits for autocomplete choices (problems).
   */
  async autocomplete(input: { user: DiscordUser; channelId: string; command: string; focused: string; typed: string; options?: Record<string, OptionValue> }): Promise<InteractionResult> {
    const options = { ...input.options, [input.focused]: input.typed };
    return this.send(this.buildCommand({ user: input.user, channelId: input.channelId, command: input.command, options }, input.focused));
  }

  async command(input: { user: DiscordUser; channelId: string; command: string; options?: Record<string, OptionValue> }, signature: SignatureMode = 'valid'): Promise<InteractionResult> {
    return this.send(this.buildCommand(input), signature);
  }

  async click(input: { user: DiscordUser; message: StoredMessage; customId: string }): Promise<InteractionResult> {
    const current = this.fake.message(input.message.id) ?? input.message;
    if (!customIdsOf(current).includes(input.customId)) throw new Error(`fake discord: message ${current.id} has no component ${input.customId}`);
    const record = this.fake.mintInteraction({
      type: 3,
      user: input.user,
      channelId: current.channelId,
      sourceMessageId: current.id,
      data: { custom_id: input.customId, component_type: 2 },
    });
    return this.send(record);
  }

  /** Picks values in a string select (by option value) or a user select (by user). */
  async select(input: { user: DiscordUser; message: StoredMessage; customId: string; values: string[] | DiscordUser[] }): Promise<InteractionResult> {
    const current = this.fake.message(input.message.id) ?? input.message;
    let menu: Json | undefined;
    for (const row of current.components) {
      for (const child of Array.isArray(row.components) ? row.components : []) {
        if (isRecord(child) && child.custom_id === input.customId) menu = child;
      }
    }
    if (!menu || (menu.type !== 3 && menu.type !== 5)) throw new Error(`fake discord: message ${current.id} has no select ${input.customId}`);
    const data: Json = { custom_id: input.customId, component_type: menu.type };
    if (menu.type === 3) {
      const options = Array.isArray(menu.options) ? menu.options.filter(isRecord) : [];
      const values = input.values.map((v) => (typeof v === 'string' ? v : v.id));
      for (const value of values) if (!options.some((o) => o.value === value)) throw new Error(`fake discord: ${value} is not an option of ${input.customId}`);
      data.values = values;
    } else {
      const users = input.values.filter((v): v is DiscordUser => typeof v !== 'string');
      data.values = users.map((u) => u.id);
      data.resolved = { users: Object.fromEntries(users.map((u) => [u.id, { id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: '0', avatar: null }])) };
    }
    const record = this.fake.mintInteraction({ type: 3, user: input.user, channelId: current.channelId, sourceMessageId: current.id, data });
    return this.send(record);
  }

  /** Fills in and submits a modal the bot opened; values by text input custom_id. */
  async submitModal(input: { user: DiscordUser; modal: ModalRecord; values: Record<string, string> }): Promise<InteractionResult> {
    const opener = this.fake.interaction(input.modal.interactionId);
    if (!opener) throw new Error('fake discord: unknown modal');
    const components: Json[] = [];
    const rows: unknown[] = Array.isArray(input.modal.data.components) ? input.modal.data.components : [];
    for (const component of rows) {
      if (!isRecord(component)) continue;
      const children: unknown[] = Array.isArray(component.components) ? component.components : [];
      const field: unknown = component.type === 18 ? component.component : children[0];
      if (!isRecord(field)) continue;
      const id = String(field.custom_id);
      const value = input.values[id] ?? (typeof field.value === 'string' ? field.value : '');
      if (field.required !== false && value === '') throw new Error(`fake discord: required input ${id} left empty; Discord would not submit`);
      if (typeof field.max_length === 'number' && value.length > field.max_length) throw new Error(`fake discord: ${id} longer than ${field.max_length}`);
      const input4 = { type: 4, custom_id: id, value };
      components.push(component.type === 18 ? { type: 18, component: input4 } : { type: 1, components: [input4] });
    }
    const record = this.fake.mintInteraction({
      type: 5,
      user: input.user,
      channelId: opener.channelId,
      ...(input.modal.sourceMessageId ? { sourceMessageId: input.modal.sourceMessageId } : {}),
      data: { custom_id: input.modal.data.custom_id, components },
    });
    return this.send(record);
  }
}

export { InteractionSigner };
