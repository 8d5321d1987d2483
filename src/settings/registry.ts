import type { MessageKey } from '../chat/i18n/catalog.js';
import { PLATFORMS, type Platform } from '../chat/model.js';
import { CAPABILITIES } from '../capabilities.js';

/**
 * A setting admins change from chat (`/ops config set KEY VALUE`, policy chapter 6). Each capability
 * declares its own here; the value is stored as text after `parse` normalised it.
 */
export interface SettingSpec {
  key: string;
  description: MessageKey;
  /** The normalised value, or undefined when `raw` is not valid for this setting. */
  parse(raw: string, actorPlatform: Platform): string | undefined;
  /** Shown when parse refuses a value; may use {value}. */
  invalid: MessageKey;
  /** What applies while nothing is set, shown by `/ops config get` as "default: …". */
  defaultValue?: string;
}

export const CHANNEL_KEYS = ['fault_channel', 'change_channel', 'feedback_channel', 'management_channel'] as const;
export type ChannelKey = (typeof CHANNEL_KEYS)[number];

/** Accepts `slack:C123`, `discord:789`, or a channel mention from the actor's platform (`<#C123|ops>`). */
export function parseChannel(value: string, actorPlatform: Platform): string | undefined {
  const trimmed = value.trim();
  const mention = /^<#([A-Za-z0-9]+)(\|[^>]*)?>$/.exec(trimmed);
  if (mention?.[1]) return `${actorPlatform}:${mention[1]}`;
  const qualified = /^([a-z]+):([A-Za-z0-9_.-]{1,64})$/.exec(trimmed);
  if (qualified?.[1] && (PLATFORMS as readonly string[]).includes(qualified[1])) return trimmed;
  const bare = /^#?([A-Za-z0-9_.-]{1,64})$/.exec(trimmed);
  if (bare?.[1]) return `${actorPlatform}:${bare[1]}`;
  return undefined;
}

const channelSetting = (key: ChannelKey): SettingSpec => ({
  key,
  description: `settings.describe.${key}`,
  parse: parseChannel,
  invalid: 'settings.error.badChannel',
});

let collected: readonly SettingSpec[] | undefined;

/**
 * The core channel settings, then each capability's settings from its descriptor. Read on first use,
 * not at load: the capabilities' modules import this one (parseChannel) while the list is being built.
 */
export function settingSpecs(): readonly SettingSpec[] {
  collected ??= [...CHANNEL_KEYS.map(channelSetting), ...CAPABILITIES.flatMap((c) => c.settings ?? [])];
  return collected;
}

/** Every setting key, in the order `/ops config show` lists them. */
export function settingKeys(): string[] {
  return settingSpecs().map((s) => s.key);
}

export function settingSpec(key: string): SettingSpec | undefined {
  return settingSpecs().find((s) => s.key === key);
}
