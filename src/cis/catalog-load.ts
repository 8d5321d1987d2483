// Loads the in-memory catalog (names, aliases, depends-on links) from the database.
import type { EntityManager } from 'typeorm';
import { CiCatalog } from './catalog.js';
import { ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink } from '../store/entities/index.js';

/** Every item's name and aliases and every depends-on link, as read through `manager` (so inside its transaction). */
export async function loadCiCatalog(manager: EntityManager): Promise<CiCatalog> {
  const items = await manager.find(ConfigurationItem, { select: { id: true, name: true } });
  const aliases = await manager.find(ConfigurationItemAlias);
  const byItem = new Map<number, string[]>();
  for (const a of aliases) byItem.set(a.ciId, [...(byItem.get(a.ciId) ?? []), a.alias]);
  const links = await manager.find(ConfigurationItemLink);
  return new CiCatalog(items.map((i) => ({ id: i.id, name: i.name, aliases: byItem.get(i.id) ?? [] })), links);
}
