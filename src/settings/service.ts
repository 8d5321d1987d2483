import { appendAudit } from '../audit/chain.js';
import type { ChatTarget, Platform } from '../chat/model.js';
import { PLATFORMS } from '../chat/model.js';
import { settingKeys, settingSpec, type ChannelKey } from './registry.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { Setting } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';
import type { Store } from '../store/store.js';

export function channelTarget(value: string | undefined): ChatTarget | undefined {
  if (!value) return undefined;
  const at = value.indexOf(':');
  const platform = value.slice(0, at);
  if (!(PLATFORMS as readonly string[]).includes(platform)) return undefined;
  return { platform: platform as Platform, kind: 'channel', id: value.slice(at + 1) };
}

/** Settings changeable from chat (policy chapter 6), falling back to the environment's defaults. */
export class SettingsService {
  private changes = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly defaults: Partial<Record<string, string>>,
  ) {}

  /** Counts this process's committed `set` calls: a cache of settings (e.g. the monitoring intake's) is stale once it moved. */
  get revision(): number {
    return this.changes;
  }

  /**
   * The stored value of `key`, else the environment's default. Read from the database every time (one
   * fixed statement, src/store/plain-sql.ts): another replica may have changed it, and every click
   * that posts a card reads its channel.
   */
  async get(key: string): Promise<string | undefined> {
    const { manager } = this.store;
    const [row] = await PlainSql.of(manager).find(manager, Setting, { key });
    return row?.value ?? this.defaults[key];
  }

  /** Every registered setting's value (stored, else the default), read like `get`. */
  async all(): Promise<Map<string, string | undefined>> {
    const { manager } = this.store;
    const rows = await PlainSql.of(manager).find(manager, Setting);
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    return new Map(settingKeys().map((key) => [key, stored.get(key) ?? this.defaults[key]]));
  }

  async channel(key: ChannelKey): Promise<ChatTarget | undefined> {
    return channelTarget(await this.get(key));
  }

  async set(actor: Actor, key: string, rawValue: string): Promise<{ key: string; value: string }> {
    if (!hasRole(actor.roles, 'admin')) throw new ForbiddenError('settings.error.adminOnly');
    const spec = settingSpec(key);
    if (!spec) throw new InvalidInputError('settings.error.unknownKey', { key: key.slice(0, 64), keys: settingKeys().join(', ') });
    const value = spec.parse(rawValue, actor.platform);
    if (value === undefined) throw new InvalidInputError(spec.invalid, { value: rawValue.slice(0, 100) });
    await this.store.transaction(async (manager) => {
      const before = await manager.findOne(Setting, { where: { key } });
      const now = this.clock.now();
      await manager.save(Setting, manager.create(Setting, { key, value, updatedBy: actor.personId, updatedAt: now }));
      await appendAudit(manager, now, {
        actor,
        action: 'config.set',
        recordType: 'setting',
        recordId: key,
        before: before ? { value: before.value } : null,
        after: { value },
      });
    });
    this.changes++;
    return { key, value };
  }
}
