// Block Kit validation as Slack does it for the shapes the bot uses: sizes, required parts, allowed
// text types and unique ids. Unknown block or element types are refused so that the fake never
// waves through something it cannot judge.
import { FAKE_SLACK_LIMITS as L } from './limits.js';

/** Why Slack would refuse a payload: the error code it answers with, and what exactly was wrong. */
export interface SlackRefusal {
  error: string;
  problems: string[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: string[] = [];
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  fail(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }

  text(path: string, value: unknown, options: { max: number; plainOnly?: boolean; required?: boolean }): void {
    if (value === undefined && options.required === false) return;
    if (!isRecord(value)) return this.fail(path, 'must be a text object');
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return this.fail(path, `unknown text type ${String(value.type)}`);
    if (options.plainOnly && value.type !== 'plain_text') this.fail(path, 'must be plain_text');
    if ('emoji' in value && value.type !== 'plain_text') this.fail(`${path}.emoji`, 'only allowed on plain_text');
    if (typeof value.text !== 'string') return this.fail(`${path}.text`, 'must be a string');
    if (value.text.length < 1) this.fail(`${path}.text`, 'must not be empty');
    if (value.text.length > options.max) this.fail(`${path}.text`, `must be at most ${options.max} characters (got ${value.text.length})`);
  }

  string(path: string, value: unknown, max: number, options: { required?: boolean; min?: number } = {}): void {
    if (value === undefined && !options.required) return;
    if (typeof value !== 'string') return this.fail(path, 'must be a string');
    if (value.length < (options.min ?? (options.required ? 1 : 0))) this.fail(path, 'too short');
    if (value.length > max) this.fail(path, `must be at most ${max} characters (got ${value.length})`);
  }

  blockId(path: string, value: unknown): void {
    if (value === undefined) return;
    this.string(path, value, L.blockId, { min: 1 });
    if (typeof value !== 'string') return;
    if (this.blockIds.has(value)) this.fail(path, `duplicate block_id ${value}`);
    this.blockIds.add(value);
  }

  actionId(path: string, value: unknown, required = false): void {
    if (value === undefined && !required) return;
    this.string(path, value, L.actionId, { required: true });
    if (typeof value !== 'string') return;
    if (this.actionIds.has(value)) this.fail(path, `duplicate action_id ${value}`);
    this.actionIds.add(value);
  }
}

function checkOption(c: Checker, path: string, option: unknown, maxValue: number = L.optionValue): void {
  if (!isRecord(option)) return c.fail(path, 'must be an option object');
  c.text(`${path}.text`, option.text, { max: L.optionText, plainOnly: true });
  c.string(`${path}.value`, option.value, maxValue, { required: true });
}

function checkExternalSelect(c: Checker, path: string, element: Record<string, unknown>): void {
  c.actionId(`${path}.action_id`, element.action_id);
  c.text(`${path}.placeholder`, element.placeholder, { max: L.placeholder, plainOnly: true, required: false });
  const min = element.min_query_length;
  if (min !== undefined && (typeof min !== 'number' || !Number.isInteger(min) || min < 0)) c.fail(`${path}.min_query_length`, 'must be a non-negative integer');
  if (element.options !== undefined) c.fail(`${path}.options`, 'not allowed on an external_select (options come from the options load URL)');
  if (element.initial_option !== undefined) checkOption(c, `${path}.initial_option`, element.initial_option, L.externalOptionValue);
}

/**
 * The answer to a block_suggestion: `{options: [...]}` with at most 100 options (plain_text of at most
 * 75 characters, values of at most 150), or `{option_groups: [...]}`. Problems, empty when Slack
 * would show it.
 */
export function validateOptionsResponse(body: unknown): string[] {
  const c = new Checker();
  if (!isRecord(body)) return ['options response must be a JSON object'];
  const options = body.options;
  if (!Array.isArray(options)) return ['options response needs an options array'];
  if (options.length > L.externalOptions) c.fail('options', `no more than ${L.externalOptions} items allowed (got ${options.length})`);
  options.forEach((option, i) => checkOption(c, `options[${i}]`, option, L.externalOptionValue));
  const values = options.map((o) => (isRecord(o) ? o.value : undefined));
  if (new Set(values).size !== values.length) c.fail('options', 'values must be unique');
  return c.problems;
}

function checkButton(c: Checker, path: string, element: Record<string, unknown>): void {
  c.text(`${path}.text`, element.text, { max: L.buttonText, plainOnly: true });
  c.actionId(`${path}.action_id`, element.action_id);
  c.string(`${path}.value`, element.value, L.buttonValue, { min: 1 });
  c.string(`${path}.url`, element.url, L.url, { min: 1 });
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    c.fail(`${path}.style`, 'must be primary or danger');
  }
}

function checkStaticSelect(c: Checker, path: string, element: Record<string, unknown>): void {
  c.actionId(`${path}.action_id`, element.action_id);
  c.text(`${path}.placeholder`, element.placeholder, { max: L.placeholder, plainOnly: true, required: false });
  const options = element.options;
  if (!Array.isArray(options)) return c.fail(`${path}.options`, 'required');
  if (options.length < 1 || options.length > L.selectOptions) {
    c.fail(`${path}.options`, `must hold 1 to ${L.selectOptions} options (got ${options.length})`);
  }
  options.forEach((option, i) => checkOption(c, `${path}.options[${i}]`, option));
  if (element.initial_option !== undefined) {
    checkOption(c, `${path}.initial_option`, element.initial_option);
    const initial = isRecord(element.initial_option) ? element.initial_option.value : undefined;
    if (!options.some((option) => isRecord(option) && option.value === initial)) c.fail(`${path}.initial_option`, 'must be one of options');
  }
}

function checkPlainTextInput(c: Checker, path: string, element: Record<string, unknown>): void {
  c.actionId(`${path}.action_id`, element.action_id);
  c.text(`${path}.placeholder`, element.placeholder, { max: L.placeholder, plainOnly: true, required: false });
  if (element.multiline !== undefined && typeof element.multiline !== 'boolean') c.fail(`${path}.multiline`, 'must be a boolean');
  const max = element.max_length;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > L.plainTextInputMaxLength)) {
    c.fail(`${path}.max_length`, `must be an integer from 1 to ${L.plainTextInputMaxLength}`);
  }
  const min = element.min_length;
  if (min !== undefined && (typeof min !== 'number' || min < 0 || (typeof max === 'number' && min > max))) {
    c.fail(`${path}.min_length`, 'invalid');
  }
  if (element.initial_value !== undefined) {
    c.string(`${path}.initial_value`, element.initial_value, typeof max === 'number' ? max : L.plainTextInputMaxLength);
  }
}

const PICKERS = ['static_select', 'external_select', 'users_select', 'multi_static_select', 'multi_users_select', 'conversations_select', 'channels_select'];
const CHOOSERS = ['datepicker', 'datetimepicker', 'timepicker', 'checkboxes', 'radio_buttons'];
const INPUT_ELEMENTS = new Set(['plain_text_input', 'email_text_input', 'number_input', 'url_text_input', ...PICKERS, ...CHOOSERS]);
const ACTION_ELEMENTS = new Set(['button', 'overflow', ...PICKERS, ...CHOOSERS]);

function checkElement(c: Checker, path: string, element: unknown, allowed: Set<string>): void {
  if (!isRecord(element) || typeof element.type !== 'string') return c.fail(path, 'must be an element object');
  if (!allowed.has(element.type)) return c.fail(`${path}.type`, `element ${element.type} not allowed here`);
  switch (element.type) {
    case 'button':
      return checkButton(c, path, element);
    case 'static_select':
      return checkStaticSelect(c, path, element);
    case 'external_select':
      return checkExternalSelect(c, path, element);
    case 'plain_text_input':
      return checkPlainTextInput(c, path, element);
    case 'users_select':
      c.actionId(`${path}.action_id`, element.action_id);
      return c.string(`${path}.initial_user`, element.initial_user, 64, { min: 1 });
    default:
      return c.actionId(`${path}.action_id`, element.action_id);
  }
}

function checkBlock(c: Checker, path: string, block: unknown): void {
  if (!isRecord(block) || typeof block.type !== 'string') return c.fail(path, 'must be a block object');
  c.blockId(`${path}.block_id`, block.block_id);
  switch (block.type) {
    case 'header':
      return c.text(`${path}.text`, block.text, { max: L.headerText, plainOnly: true });
    case 'divider':
      return;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) return c.fail(path, 'needs text or fields');
      c.text(`${path}.text`, block.text, { max: L.sectionText, required: false });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields) || block.fields.length < 1 || block.fields.length > L.sectionFields) {
          c.fail(`${path}.fields`, `must hold 1 to ${L.sectionFields} items`);
        }
        if (Array.isArray(block.fields)) {
          block.fields.forEach((field, i) => c.text(`${path}.fields[${i}]`, field, { max: L.sectionFieldText }));
        }
      }
      if (block.accessory !== undefined) checkElement(c, `${path}.accessory`, block.accessory, ACTION_ELEMENTS);
      return;
    }
    case 'context': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > L.contextElements) {
        return c.fail(`${path}.elements`, `must hold 1 to ${L.contextElements} items`);
      }
      elements.forEach((element, i) => {
        if (isRecord(element) && element.type === 'image') {
          return c.string(`${path}.elements[${i}].image_url`, element.image_url, L.url, { required: true });
        }
        c.text(`${path}.elements[${i}]`, element, { max: L.sectionText });
      });
      return;
    }
    case 'actions': {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length < 1 || elements.length > L.actionsElements) {
        return c.fail(`${path}.elements`, `must hold 1 to ${L.actionsElements} items`);
      }
      elements.forEach((element, i) => checkElement(c, `${path}.elements[${i}]`, element, ACTION_ELEMENTS));
      return;
    }
    case 'input':
      c.text(`${path}.label`, block.label, { max: L.inputLabel, plainOnly: true });
      c.text(`${path}.hint`, block.hint, { max: L.inputHint, plainOnly: true, required: false });
      if (block.optional !== undefined && typeof block.optional !== 'boolean') c.fail(`${path}.optional`, 'must be a boolean');
      return checkElement(c, `${path}.element`, block.element, INPUT_ELEMENTS);
    case 'image':
      c.string(`${path}.image_url`, block.image_url, L.url, { required: true });
      return c.string(`${path}.alt_text`, block.alt_text, 2000, { required: true });
    default:
      return c.fail(`${path}.type`, `unsupported block type ${block.type}`);
  }
}

function checkBlocks(c: Checker, blocks: unknown[], max: number): void {
  if (blocks.length > max) c.fail('blocks', `no more than ${max} items allowed (got ${blocks.length})`);
  blocks.forEach((block, i) => checkBlock(c, `blocks[${i}]`, block));
}

/** chat.postMessage / chat.update / chat.postEphemeral / response_url: undefined when Slack would accept. */
export function validateMessage(payload: { text?: unknown; blocks?: unknown }): SlackRefusal | undefined {
  const { text, blocks } = payload;
  if (blocks === undefined) {
    if (typeof text !== 'string' || text.trim() === '') return { error: 'no_text', problems: ['text or blocks required'] };
    return undefined;
  }
  if (!Array.isArray(blocks)) return { error: 'invalid_blocks_format', problems: ['blocks must be a JSON array'] };
  const json = JSON.stringify(blocks).length;
  if (json > L.messageBlocksJson) return { error: 'msg_blocks_too_long', problems: [`blocks JSON is ${json} characters`] };
  const c = new Checker();
  checkBlocks(c, blocks, L.blocksPerMessage);
  if (text !== undefined && typeof text !== 'string') c.fail('text', 'must be a string');
  return c.problems.length > 0 ? { error: 'invalid_blocks', problems: c.problems } : undefined;
}

/** views.open / views.update / a response_action carrying a view. */
export function validateView(view: unknown): SlackRefusal | undefined {
  if (!isRecord(view)) return { error: 'invalid_arguments', problems: ['view must be a JSON object'] };
  const bytes = Buffer.byteLength(JSON.stringify(view));
  if (bytes > L.viewBytes) return { error: 'view_too_large', problems: [`view is ${bytes} bytes`] };
  const c = new Checker();
  if (view.type !== 'modal') c.fail('type', 'must be modal');
  c.text('title', view.title, { max: L.viewTitle, plainOnly: true });
  c.text('close', view.close, { max: L.viewButton, plainOnly: true, required: false });
  const blocks = Array.isArray(view.blocks) ? view.blocks : undefined;
  if (!blocks) c.fail('blocks', 'required');
  const hasInputs = blocks?.some((block) => isRecord(block) && block.type === 'input') ?? false;
  c.text('submit', view.submit, { max: L.viewButton, plainOnly: true, required: hasInputs });
  c.string('callback_id', view.callback_id, L.callbackId);
  c.string('private_metadata', view.private_metadata, L.privateMetadata);
  c.string('external_id', view.external_id, 255);
  if (blocks) checkBlocks(c, blocks, L.blocksPerView);
  return c.problems.length > 0 ? { error: 'invalid_arguments', problems: c.problems } : undefined;
}

/** A Home tab view as `views.publish` takes it: type home, at most 100 valid blocks, at most 250 kB. */
export function validateHomeView(view: unknown): SlackRefusal | undefined {
  if (!isRecord(view)) return { error: 'invalid_arguments', problems: ['view must be a JSON object'] };
  const bytes = Buffer.byteLength(JSON.stringify(view));
  if (bytes > L.viewBytes) return { error: 'view_too_large', problems: [`view is ${bytes} bytes`] };
  const c = new Checker();
  if (view.type !== 'home') c.fail('type', 'must be home');
  for (const field of ['title', 'submit', 'close']) if (field in view) c.fail(field, 'not allowed in a home view');
  c.string('callback_id', view.callback_id, L.callbackId);
  c.string('private_metadata', view.private_metadata, L.privateMetadata);
  c.string('external_id', view.external_id, 255);
  const blocks = Array.isArray(view.blocks) ? view.blocks : undefined;
  if (!blocks) c.fail('blocks', 'required');
  if (blocks?.some((block) => isRecord(block) && block.type === 'input')) c.fail('blocks', 'input blocks are not allowed in a home view');
  if (blocks) checkBlocks(c, blocks, L.blocksPerView);
  return c.problems.length > 0 ? { error: 'invalid_arguments', problems: c.problems } : undefined;
}
