// Links records to configuration items from what their forms say (issue #12, "records link to CIs"):
// a fault's free-text affected system, a change's comma-separated configuration items.
import type { EntityManager } from 'typeorm';
import type { Refusal } from './catalog.js';
import { loadCiCatalog } from './catalog-load.js';
import { linkRecord, type RecordKind } from './records.js';
import { nameKey } from './rules.js';
import type { FormOption } from '../chat/model.js';
import { ConfigurationItem, ConfigurationItemAlias } from '../store/entities/index.js';

/**
 * The item whose name or alias is `text` (case and spacing ignored), or undefined: unmatched text
 * stays free text on the record, as before configuration items existed.
 */
export async function matchCi(manager: EntityManager, text: string): Promise<number | undefined> {
  const key = nameKey(text);
  if (!key) return undefined;
  const item = await manager.findOne(ConfigurationItem, { where: { nameKey: key }, select: { id: true } });
  if (item) return item.id;
  return (await manager.findOne(ConfigurationItemAlias, { where: { aliasKey: key }, select: { ciId: true } }))?.ciId;
}

/** Links the record to the item its free text names, if any; returns the item's id. */
export async function linkByText(manager: EntityManager, kind: RecordKind, recordId: number, text: string | null | undefined): Promise<number | undefined> {
  const ciId = text ? await matchCi(manager, text) : undefined;
  if (ciId !== undefined) await linkRecord(manager, kind, recordId, [ciId]);
  return ciId;
}

/**
 * A change's configuration item names resolved to ids. With no item recorded at all (an install
 * without a CMDB) every name is accepted and nothing is linked; otherwise the first unknown name is
 * refused (`cis.refused.unknownDependency`) with the closest known names.
 */
export async function resolveChangeItems(manager: EntityManager, names: readonly string[]): Promise<{ ids: number[] } | { refusal: Refusal }> {
  if ((await manager.count(ConfigurationItem)) === 0) return { ids: [] };
  return (await loadCiCatalog(manager)).resolve(names);
}

/** A Slack static_select holds at most 100 options of at most 75 characters each (PLATFORM-FACTS.md). */
export const CI_CHOICE_LIMITS = { options: 100, optionText: 75 } as const;

/**
 * How a form offers the "affected system": the items as a fixed list when there are a few
 * (1..100 whose names fit a static select), `'search'` when there are more (the platforms search
 * them as the person types: Slack external_select, Discord autocomplete), and undefined when there
 * are none (plain text). Whatever is offered, typed text is still matched by name or alias on
 * submission, and text naming no item stays free text.
 */
export type CiChoices = FormOption[] | 'search' | undefined;

/** The items as the options of an "affected system" field (see CiChoices). */
export async function ciChoices(manager: EntityManager): Promise<CiChoices> {
  const items = await manager.find(ConfigurationItem, { select: { name: true }, order: { nameKey: 'ASC' }, take: CI_CHOICE_LIMITS.options + 1 });
  if (items.length === 0) return undefined;
  if (items.length > CI_CHOICE_LIMITS.options || items.some((i) => i.name.length > CI_CHOICE_LIMITS.optionText)) return 'search';
  return items.map((i) => ({ value: i.name, label: i.name }));
}
