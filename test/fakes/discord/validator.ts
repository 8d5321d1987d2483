// Payload validation as Discord does it for the shapes the bot uses: message bodies (content, embeds,
// components), modals and application commands. Each returns the problems found; an empty list
// means Discord would accept the payload. Unknown component types are refused, so that the fake never
// waves through something it cannot judge.
import { FAKE_DISCORD_LIMITS as L } from './limits.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Problems {
  readonly list: string[] = [];

  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }

  string(path: string, value: unknown, options: { min?: number; max: number; required?: boolean }): void {
    if (value === undefined || value === null) {
      if (options.required) this.add(path, 'required');
      return;
    }
    if (typeof value !== 'string') return this.add(path, 'must be a string');
    if (value.length < (options.min ?? 0)) this.add(path, `must be at least ${options.min ?? 0} characters`);
    if (value.length > options.max) this.add(path, `must be at most ${options.max} characters (got ${value.length})`);
  }

  int(path: string, value: unknown, min: number, max: number): void {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) this.add(path, `must be an integer from ${min} to ${max}`);
  }
}

export interface MessageRules {
  /** An edit: fields left out keep their value, so an empty body is allowed. */
  partial?: boolean;
  /** Interaction responses may carry flags (64: ephemeral); channel messages may not. */
  allowEphemeral?: boolean;
  /** `POST /channels/{id}/messages`: the only route that takes `nonce` and `enforce_nonce`. */
  create?: boolean;
}

const MESSAGE_KEYS = new Set(['content', 'embeds', 'components', 'allowed_mentions', 'flags', 'tts', 'attachments']);
const CREATE_KEYS = new Set(['nonce', 'enforce_nonce']);

function checkNonce(p: Problems, body: Record<string, unknown>): void {
  const nonce = body.nonce;
  if (nonce !== undefined && !(typeof nonce === 'number' && Number.isInteger(nonce)) && !(typeof nonce === 'string' && nonce.length <= L.nonceMax)) {
    p.add('nonce', `must be an integer or a string of at most ${L.nonceMax} characters`);
  }
  if (body.enforce_nonce !== undefined && typeof body.enforce_nonce !== 'boolean') p.add('enforce_nonce', 'must be a boolean');
  if (body.enforce_nonce === true && nonce === undefined) p.add('enforce_nonce', 'needs a nonce');
}

export function validateMessage(body: unknown, rules: MessageRules = {}): string[] {
  const p = new Problems();
  if (!isRecord(body)) return ['body: must be a JSON object'];
  for (const key of Object.keys(body)) {
    // `ephemeral` is discord.js's deprecated option, not an API field: Discord ignores it and the
    // message would be public.
    if (!MESSAGE_KEYS.has(key) && !(rules.create && CREATE_KEYS.has(key))) p.add(key, 'unknown field (private replies need flags: 64)');
  }
  if (rules.create) checkNonce(p, body);
  p.string('content', body.content, { max: L.content });
  if (body.flags !== undefined) {
    if (!rules.allowEphemeral) p.add('flags', 'not allowed on channel messages');
    else if (body.flags !== 0 && body.flags !== 64) p.add('flags', 'only 64 (ephemeral) is allowed');
  }
  if (body.allowed_mentions !== undefined) {
    const parse = isRecord(body.allowed_mentions) ? body.allowed_mentions.parse : undefined;
    if (parse !== undefined && (!Array.isArray(parse) || parse.some((v) => v !== 'users' && v !== 'roles' && v !== 'everyone'))) {
      p.add('allowed_mentions.parse', 'must list users, roles or everyone');
    }
  }
  const embeds = body.embeds;
  if (embeds !== undefined) {
    if (!Array.isArray(embeds)) p.add('embeds', 'must be an array');
    else {
      if (embeds.length > L.embeds) p.add('embeds', `at most ${L.embeds} embeds`);
      let total = 0;
      embeds.forEach((embed, i) => (total += checkEmbed(p, `embeds[${i}]`, embed)));
      if (total > L.embedTotal) p.add('embeds', `${total} characters over all embeds, more than ${L.embedTotal}`);
    }
  }
  if (body.components !== undefined) checkComponents(p, body.components);
  if (!rules.partial) {
    const hasContent = typeof body.content === 'string' && body.content.trim().length > 0;
    const hasEmbeds = Array.isArray(embeds) && embeds.length > 0;
    if (!hasContent && !hasEmbeds) p.add('body', 'Cannot send an empty message (50006): content or embeds needed');
  }
  return p.list;
}

function checkEmbed(p: Problems, path: string, embed: unknown): number {
  if (!isRecord(embed)) {
    p.add(path, 'must be an object');
    return 0;
  }
  let total = 0;
  const text = (sub: string, value: unknown, max: number, required = false) => {
    p.string(`${path}.${sub}`, value, { max, min: required ? 1 : 0, required });
    if (typeof value === 'string') total += value.length;
  };
  text('title', embed.title, L.embedTitle);
  text('description', embed.description, L.embedDescription);
  p.int(`${path}.color`, embed.color, 0, 0xffffff);
  if (embed.footer !== undefined) {
    if (!isRecord(embed.footer)) p.add(`${path}.footer`, 'must be an object');
    else text('footer.text', embed.footer.text, L.embedFooter, true);
  }
  if (embed.author !== undefined) {
    if (!isRecord(embed.author)) p.add(`${path}.author`, 'must be an object');
    else text('author.name', embed.author.name, L.embedAuthorName, true);
  }
  if (embed.fields !== undefined) {
    if (!Array.isArray(embed.fields)) p.add(`${path}.fields`, 'must be an array');
    else {
      if (embed.fields.length > L.embedFields) p.add(`${path}.fields`, `at most ${L.embedFields} fields`);
      embed.fields.forEach((field: unknown, i) => {
        if (!isRecord(field)) return p.add(`${path}.fields[${i}]`, 'must be an object');
        text(`fields[${i}].name`, field.name, L.embedFieldName, true);
        text(`fields[${i}].value`, field.value, L.embedFieldValue, true);
        if (field.inline !== undefined && typeof field.inline !== 'boolean') p.add(`${path}.fields[${i}].inline`, 'must be a boolean');
      });
    }
  }
  if (embed.image !== undefined) {
    // Discord takes http(s) URLs, or `attachment://NAME` naming a file sent with the message.
    if (!isRecord(embed.image) || typeof embed.image.url !== 'string') p.add(`${path}.image`, 'must be an object with a url');
    else if (!/^(https?:\/\/|attachment:\/\/)\S+$/.test(embed.image.url)) p.add(`${path}.image.url`, `Scheme of "${embed.image.url.slice(0, 40)}" is not supported. Scheme must be one of ('http', 'https', 'attachment').`);
  }
  if (!embed.title && !embed.description && !(Array.isArray(embed.fields) && embed.fields.length > 0)) p.add(path, 'embed is empty');
  return total;
}

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function checkComponents(p: Problems, components: unknown): void {
  if (!Array.isArray(components)) return p.add('components', 'must be an array');
  if (components.length > L.actionRows) p.add('components', `at most ${L.actionRows} action rows (got ${components.length})`);
  const ids = new Set<string>();
  const customId = (path: string, value: unknown) => {
    p.string(path, value, { min: L.customIdMin, max: L.customIdMax, required: true });
    if (typeof value !== 'string') return;
    if (ids.has(value)) p.add(path, `duplicate custom_id ${value}`);
    ids.add(value);
  };
  components.forEach((row: unknown, r) => {
    const path = `components[${r}]`;
    if (!isRecord(row) || row.type !== 1 || !Array.isArray(row.components)) return p.add(path, 'must be an action row (type 1) with components');
    const children: unknown[] = row.components;
    if (children.length === 0) return p.add(path, 'an action row needs at least one component');
    const selects = children.filter((c) => isRecord(c) && typeof c.type === 'number' && SELECT_TYPES.has(c.type));
    if (selects.length > 0 && children.length > 1) p.add(path, 'a select menu must be alone in its row');
    if (children.length > L.buttonsPerRow) p.add(path, `at most ${L.buttonsPerRow} buttons per row (got ${children.length})`);
    children.forEach((child, c) => {
      const at = `${path}.components[${c}]`;
      if (!isRecord(child)) return p.add(at, 'must be an object');
      if (child.type === 2) {
        p.string(`${at}.label`, child.label, { max: L.buttonLabel });
        p.int(`${at}.style`, child.style, 1, 6);
        if (child.style === 5) {
          if (typeof child.url !== 'string') p.add(`${at}.url`, 'a link button needs a url');
          if (child.custom_id !== undefined) p.add(`${at}.custom_id`, 'a link button has no custom_id');
        } else customId(`${at}.custom_id`, child.custom_id);
        if (child.label === undefined && child.emoji === undefined) p.add(at, 'a button needs a label or an emoji');
        return;
      }
      if (typeof child.type === 'number' && SELECT_TYPES.has(child.type)) {
        customId(`${at}.custom_id`, child.custom_id);
        p.string(`${at}.placeholder`, child.placeholder, { max: L.selectPlaceholder });
        p.int(`${at}.min_values`, child.min_values, 0, 25);
        p.int(`${at}.max_values`, child.max_values, 1, 25);
        if (child.type === 3) checkOptions(p, at, child.options);
        return;
      }
      p.add(at, `unsupported component type ${String(child.type)}`);
    });
  });
}

function checkOptions(p: Problems, path: string, options: unknown): void {
  if (!Array.isArray(options) || options.length === 0) return p.add(`${path}.options`, 'a string select needs 1-25 options');
  if (options.length > L.selectOptions) p.add(`${path}.options`, `at most ${L.selectOptions} options (got ${options.length})`);
  const values = new Set<string>();
  let defaults = 0;
  options.forEach((option: unknown, i) => {
    const at = `${path}.options[${i}]`;
    if (!isRecord(option)) return p.add(at, 'must be an object');
    p.string(`${at}.label`, option.label, { min: 1, max: L.selectOptionText, required: true });
    p.string(`${at}.value`, option.value, { min: 1, max: L.selectOptionText, required: true });
    p.string(`${at}.description`, option.description, { max: L.selectOptionText });
    if (typeof option.value === 'string') {
      if (values.has(option.value)) p.add(`${at}.value`, 'duplicate option value');
      values.add(option.value);
    }
    if (option.default === true) defaults += 1;
  });
  if (defaults > 1) p.add(`${path}.options`, 'more defaults than max_values');
}

export function validateModal(data: unknown): string[] {
  const p = new Problems();
  if (!isRecord(data)) return ['data: must be an object'];
  p.string('custom_id', data.custom_id, { min: L.customIdMin, max: L.customIdMax, required: true });
  p.string('title', data.title, { min: 1, max: L.modalTitle, required: true });
  const components = data.components;
  if (!Array.isArray(components) || components.length < L.modalComponentsMin || components.length > L.modalComponentsMax) {
    p.add('components', `a modal needs ${L.modalComponentsMin}-${L.modalComponentsMax} components`);
    return p.list;
  }
  const ids = new Set<string>();
  components.forEach((component: unknown, i) => {
    const at = `components[${i}]`;
    if (!isRecord(component)) return p.add(at, 'must be an object');
    let input: unknown;
    if (component.type === 1) {
      // The older layout: an action row holding exactly one text input, which carries the label.
      const children: unknown[] = Array.isArray(component.components) ? component.components : [];
      if (children.length !== 1) return p.add(at, 'an action row in a modal holds exactly one text input');
      input = children[0];
      if (isRecord(input)) p.string(`${at}.components[0].label`, input.label, { min: 1, max: L.modalLabel, required: true });
    } else if (component.type === 18) {
      p.string(`${at}.label`, component.label, { min: 1, max: L.modalLabel, required: true });
      p.string(`${at}.description`, component.description, { max: L.modalLabelDescription });
      input = component.component;
      if (isRecord(input) && input.label !== undefined) p.add(`${at}.component.label`, 'a text input inside a label has no label of its own');
    } else return p.add(at, `unsupported modal component type ${String(component.type)}`);
    if (!isRecord(input) || input.type !== 4) return p.add(at, 'only text inputs (type 4) are accepted in modals');
    p.string(`${at} custom_id`, input.custom_id, { min: L.customIdMin, max: L.customIdMax, required: true });
    if (typeof input.custom_id === 'string') {
      if (ids.has(input.custom_id)) p.add(`${at} custom_id`, `duplicate custom_id ${input.custom_id}`);
      ids.add(input.custom_id);
    }
    if (input.style !== 1 && input.style !== 2) p.add(`${at} style`, 'must be 1 (short) or 2 (paragraph)');
    p.int(`${at} min_length`, input.min_length, 0, L.textInputValue);
    p.int(`${at} max_length`, input.max_length, 1, L.textInputValue);
    p.string(`${at} value`, input.value, { max: typeof input.max_length === 'number' ? input.max_length : L.textInputValue });
    p.string(`${at} placeholder`, input.placeholder, { max: L.textInputPlaceholder });
  });
  return p.list;
}

/** `PUT /applications/{id}/commands`: naming, sizes, counts and structure of chat-input commands. */
/**
 * The data of an autocomplete result (callback type 8): `choices`, at most 25, each with a name of
 * 1-100 characters and a string value of at most 100 (or a number).
 */
export function validateAutocompleteResult(data: unknown): string[] {
  const p = new Problems();
  if (!isRecord(data) || !Array.isArray(data.choices)) return ['choices: required'];
  if (data.choices.length > L.commandChoices) p.add('choices', `at most ${L.commandChoices} choices (got ${data.choices.length})`);
  data.choices.forEach((choice: unknown, i) => {
    if (!isRecord(choice)) return p.add(`choices[${i}]`, 'must be an object');
    p.string(`choices[${i}].name`, choice.name, { min: 1, max: L.choiceName, required: true });
    if (typeof choice.value !== 'number') p.string(`choices[${i}].value`, choice.value, { max: L.choiceValue, required: true });
  });
  return p.list;
}

export function validateCommands(body: unknown): string[] {
  const p = new Problems();
  if (!Array.isArray(body)) return ['body: must be an array of commands'];
  const names = new Set<string>();
  body.forEach((command: unknown, i) => {
    const at = `[${i}]`;
    if (!isRecord(command)) return p.add(at, 'must be an object');
    checkName(p, `${at}.name`, command.name);
    if (typeof command.name === 'string') {
      if (names.has(command.name)) p.add(`${at}.name`, `duplicate command ${command.name}`);
      names.add(command.name);
    }
    if (command.type !== undefined && command.type !== 1) p.add(`${at}.type`, 'only chat-input commands (1) are expected');
    checkDescription(p, at, command);
    checkOptionList(p, `${at}.options`, command.options, 'command');
  });
  return p.list;
}

function checkName(p: Problems, path: string, name: unknown): void {
  if (typeof name !== 'string') return p.add(path, 'must be a string');
  if (!L.commandName.test(name)) p.add(path, `"${name}" does not match ${L.commandName.source}`);
  if (name !== name.toLowerCase()) p.add(path, `"${name}" must be lower case`);
}

function checkDescription(p: Problems, path: string, item: Record<string, unknown>): void {
  p.string(`${path}.description`, item.description, { min: L.commandDescriptionMin, max: L.commandDescriptionMax, required: true });
  const localized = item.description_localizations;
  if (localized === undefined || localized === null) return;
  if (!isRecord(localized)) return p.add(`${path}.description_localizations`, 'must be an object');
  for (const [locale, text] of Object.entries(localized)) {
    p.string(`${path}.description_localizations.${locale}`, text, { min: L.commandDescriptionMin, max: L.commandDescriptionMax, required: true });
  }
}

type Level = 'command' | 'group' | 'subcommand';

function checkOptionList(p: Problems, path: string, options: unknown, level: Level): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) return p.add(path, 'must be an array');
  if (options.length > L.commandOptions) p.add(path, `at most ${L.commandOptions} options (got ${options.length})`);
  const names = new Set<string>();
  let nested = 0;
  let values = 0;
  let sawOptional = false;
  options.forEach((option: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(option)) return p.add(at, 'must be an object');
    checkName(p, `${at}.name`, option.name);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) p.add(`${at}.name`, `duplicate option ${option.name}`);
      names.add(option.name);
    }
    checkDescription(p, at, option);
    if (option.type === 1 || option.type === 2) {
      nested += 1;
      if (level === 'subcommand') p.add(at, 'a subcommand cannot hold subcommands');
      if (level === 'group' && option.type === 2) p.add(at, 'a group holds subcommands only');
      checkOptionList(p, `${at}.options`, option.options, option.type === 2 ? 'group' : 'subcommand');
      return;
    }
    values += 1;
    if (level === 'group') p.add(at, 'a group holds subcommands only');
    if (typeof option.type !== 'number' || option.type < 3 || option.type > 11) p.add(`${at}.type`, 'unknown option type');
    if (option.required === true && sawOptional) p.add(at, 'required options must come before optional ones');
    if (option.required !== true) sawOptional = true;
    if (option.autocomplete !== undefined) {
      if (typeof option.autocomplete !== 'boolean') p.add(`${at}.autocomplete`, 'must be a boolean');
      if (option.autocomplete === true && ![3, 4, 10].includes(Number(option.type))) p.add(`${at}.autocomplete`, 'only string, integer and number options autocomplete');
      if (option.autocomplete === true && option.choices !== undefined) p.add(`${at}.autocomplete`, 'cannot be set with choices');
    }
    if (option.choices !== undefined) {
      if (!Array.isArray(option.choices)) return p.add(`${at}.choices`, 'must be an array');
      if (option.choices.length > L.commandChoices) p.add(`${at}.choices`, `at most ${L.commandChoices} choices`);
      option.choices.forEach((choice: unknown, c) => {
        if (!isRecord(choice)) return p.add(`${at}.choices[${c}]`, 'must be an object');
        p.string(`${at}.choices[${c}].name`, choice.name, { min: 1, max: L.choiceName, required: true });
        p.string(`${at}.choices[${c}].value`, choice.value, { min: 1, max: L.choiceValue, required: true });
      });
    }
  });
  if (nested > 0 && values > 0) p.add(path, 'subcommands cannot be mixed with other options');
}
