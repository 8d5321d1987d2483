import { appendAudit } from '../audit/chain.js';
import type { ChatTarget, Platform } from '../chat/model.js';
import { PLATFORMS } from '../chat/model.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { Setting } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const SETTING_KEYS = ['fault_channel', 'change_channel', 'feedback_channel', 'management_channel'] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];

export function isSettingKey(value: string): value is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(value);
}

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

export function channelTarget(value: string | undefined): ChatTarget | undefined {
  if (!value) return undefined;
  const at = value.indexOf(':');
  const platform = value.slice(0, at);
  if (!(PLATFORMS as readonly string[]).includes(platform)) return undefined;
  return { platform: platform as Platform, kind: 'channel', id: value.slice(at + 1) };
}

/** Settings changeable from chat (policy chapter 6), falling back to the environment's defaults. */
export class SettingsService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly defaults: Partial<Record<SettingKey, string>>,
  ) {}

  async get(key: SettingKey): Promise<string | undefined> {
    const row = await this.store.manager.findOne(Setting, { where: { key } });
    return row?.value ?? this.defaults[key];
  }

  async all(): Promise<Record<SettingKey, string | undefined>> {
    const rows = await this.store.manager.find(Setting);
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    const result = {} as Record<SettingKey, string | undefined>;
    for (const key of SETTING_KEYS) result[key] = stored.get(key) ?? this.defaults[key];
    return result;
  }

  async channel(key: SettingKey): Promise<ChatTarget | undefined> {
    return channelTarget(await this.get(key));
  }

  async set(actor: Actor, key: string, rawValue: string): Promise<{ key: SettingKey; value: string }> {
    if (!hasRole(actor.roles, 'admin')) throw new ForbiddenError('settings.error.adminOnly');
    if (!isSettingKey(key)) throw new InvalidInputError('settings.error.unknownKey', { key, keys: SETTING_KEYS.join(', ') });
    const value = parseChannel(rawValue, actor.platform);
    if (!value) throw new InvalidInputError('settings.error.badChannel', { value: rawValue.slice(0, 100) });
    await this.store.transaction(async (manager) => {
      const before = await manager.findOne(Setting, { where: { key } });
      const now = this.clock.now();
      await manager.save(Setting, manager.create(Setting, { key, value, updatedBy: actor.personId, updatedAt: now }));
      await appendAudit(manager, now, {
        actorId: actor.personId,
        actorLabel: actor.displayName,
        action: 'config.set',
        recordType: 'setting',
        recordId: key,
        before: before ? { value: before.value } : null,
        after: { value },
      });
    });
    return { key, value };
  }
}
