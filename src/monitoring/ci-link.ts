// Issue #11 item 10: the configuration item an alert is about, from the labels `alert_ci_labels` names,
// and the items (issue #12, src/cis) whose name or alias matches, to link a new monitoring fault to.
import { In, type EntityManager } from 'typeorm';
import { giveWay } from './give-way.js';
import type { IncomingAlert } from './normalize.js';
import { nameKey } from '../cis/rules.js';
import { ConfigurationItem, ConfigurationItemAlias } from '../store/entities/index.js';

/** The column alerts.configuration_item holds at most this many characters. */
const MAX_NAME = 200;
const IN_CHUNK = 500;

/**
 * Prometheus' `instance` label is `host:port` (`db1:9100`, `[2001:db8::1]:9100`); the item is the host.
 * A bare IPv6 address (`2001:db8::1`) is left alone: its last group is not a port.
 */
export function withoutPort(instance: string): string {
  const m = /^(\[[^\]]+\]|[^:]+):\d{1,5}$/.exec(instance);
  if (!m?.[1]) return instance;
  return m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
}

/**
 * The configuration item an alert names: the one a generic sender gave explicitly, else the value of
 * the first of `labels` present and not empty (`instance` without its `:port`), else null.
 */
export function ciNameOf(alert: IncomingAlert, labels: readonly string[]): string | null {
  if (alert.configurationItem !== null) return alert.configurationItem;
  for (const label of labels) {
    const value = alert.labels[label]?.trim();
    if (!value) continue;
    const name = label === 'instance' ? withoutPort(value) : value;
    return name.length <= MAX_NAME ? name : `${name.slice(0, MAX_NAME - 1)}…`;
  }
  return null;
}

/**
 * The ids of the items whose name or alias equals one of `names` (case and spacing ignored, as
 * src/cis/linking.ts matches a fault's affected system), in the order of `names`, each once.
 */
export async function matchItems(manager: EntityManager, names: readonly string[]): Promise<{ id: number; name: string }[]> {
  const keys = [...new Set(names.map(nameKey).filter((k) => k.length > 0))];
  const byKey = new Map<string, number>();
  for (let i = 0; i < keys.length; i += IN_CHUNK) {
    // Thousands of alerts may name as many items: other requests are served between chunks (give-way.ts).
    if (i > 0) await giveWay();
    const chunk = keys.slice(i, i + IN_CHUNK);
    // One after another: on a transaction's manager these share one PostgreSQL connection, where
    // overlapping queries only queue (and pg 9 refuses them).
    const items = await manager.find(ConfigurationItem, { where: { nameKey: In(chunk) }, select: { id: true, nameKey: true } });
    const aliases = await manager.find(ConfigurationItemAlias, { where: { aliasKey: In(chunk) }, select: { ciId: true, aliasKey: true } });
    for (const a of aliases) byKey.set(a.aliasKey, a.ciId);
    // A name wins over another item's alias (names and aliases are unique together, but be sure).
    for (const item of items) byKey.set(item.nameKey, item.id);
  }
  // Each item once, by the first name that matched it: a set, not a search of `found` per name, which was quadratic.
  const found = new Map<number, { id: number; name: string }>();
  for (const name of names) {
    const id = byKey.get(nameKey(name));
    if (id !== undefined && !found.has(id)) found.set(id, { id, name });
  }
  return [...found.values()];
}
