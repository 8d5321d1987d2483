// Configuration items matching what someone has typed so far, for the searchable "affected system"
// choices: Slack's external_select (block_suggestion) and Discord's autocomplete (issue #12 item 2).
import type { EntityManager } from 'typeorm';
import { nameKey } from './rules.js';
import type { FormOption } from '../chat/model.js';
import { ConfigurationItem, ConfigurationItemAlias } from '../store/entities/index.js';

/** How well a candidate matched; lower ranks first. */
const RANK = { exactName: 0, exactAlias: 1, namePrefix: 2, aliasPrefix: 3, nameSubstring: 4, aliasSubstring: 5 } as const;

interface Candidate {
  name: string;
  key: string;
  rank: number;
  /** The alias that matched, when the name itself did not match as well. */
  alias?: string;
}

/** `%`, `_` and the escape character itself are literal in what people type. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

async function byName(manager: EntityManager, pattern: string, limit: number): Promise<{ name: string; key: string }[]> {
  const rows = await manager
    .createQueryBuilder(ConfigurationItem, 'c')
    .select(['c.name', 'c.nameKey'])
    .where("c.name_key LIKE :pattern ESCAPE '\\'", { pattern })
    .orderBy('c.name_key', 'ASC')
    .limit(limit)
    .getMany();
  return rows.map((r) => ({ name: r.name, key: r.nameKey }));
}

async function byAlias(manager: EntityManager, pattern: string, limit: number): Promise<{ name: string; key: string; alias: string; aliasKey: string }[]> {
  const rows = await manager
    .createQueryBuilder(ConfigurationItemAlias, 'a')
    .innerJoin(ConfigurationItem, 'c', 'c.id = a.ci_id')
    .select(['a.alias AS alias', 'a.alias_key AS alias_key', 'c.name AS name', 'c.name_key AS name_key'])
    .where("a.alias_key LIKE :pattern ESCAPE '\\'", { pattern })
    .orderBy('a.alias_key', 'ASC')
    .limit(limit)
    .getRawMany<{ alias: string; alias_key: string; name: string; name_key: string }>();
  return rows.map((r) => ({ name: r.name, key: r.name_key, alias: r.alias, aliasKey: r.alias_key }));
}

/**
 * Items whose name or alias contains `query` (case and spacing ignored, so CJK text matches as typed),
 * at most `limit`, ranked: exact name, exact alias, name prefix, alias prefix, then any substring;
 * by name among equals. An empty query gives the first items by name. Each option's value is the
 * item's name (what the form handler matches), its label the name, with the alias that matched in
 * parentheses when only an alias did. Labels and values are not cut here: each platform fits them.
 */
export async function suggestCis(manager: EntityManager, query: string, limit: number): Promise<FormOption[]> {
  if (limit <= 0) return [];
  const key = nameKey(query);
  const best = new Map<string, Candidate>();
  const offer = (candidate: Candidate) => {
    const known = best.get(candidate.key);
    if (!known || candidate.rank < known.rank) best.set(candidate.key, candidate);
  };
  // Each pass is bounded by `limit`: a better pass that already holds `limit` items makes the later
  // ones irrelevant, and otherwise a pass's first `limit` rows by name are all it can contribute.
  const prefix = `${likeEscape(key)}%`;
  const substring = `%${likeEscape(key)}%`;
  for (const row of await byName(manager, prefix, limit)) offer({ ...row, rank: row.key === key ? RANK.exactName : RANK.namePrefix });
  if (key) {
    for (const row of await byAlias(manager, prefix, limit)) {
      offer({ name: row.name, key: row.key, alias: row.alias, rank: row.aliasKey === key ? RANK.exactAlias : RANK.aliasPrefix });
    }
    for (const row of await byName(manager, substring, limit)) offer({ ...row, rank: RANK.nameSubstring });
    for (const row of await byAlias(manager, substring, limit)) offer({ name: row.name, key: row.key, alias: row.alias, rank: RANK.aliasSubstring });
  }
  return [...best.values()]
    .sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, limit)
    .map((c) => ({ value: c.name, label: c.alias === undefined ? c.name : `${c.name} (${c.alias})` }));
}
