// What a record card shows about the configuration item the record is on (issue #12): the item's owner,
// criticality and runbook (fault and request cards), and on a fault card the recent changes on it or on
// anything it depends on, as possible causes.
import { In, IsNull, MoreThanOrEqual, Not, type EntityManager } from 'typeorm';
import { loadCiCatalog } from './catalog-load.js';
import { formatCiId } from './rules.js';
import type { PersonView } from '../chat/format.js';
import { formatChangeId } from '../changes/rules.js';
import { peopleViews } from '../people/views.js';
import { Change, ConfigurationItem, RecordCi } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

/** A change counts as a possible cause while in progress or for this long after it ended (issue #12). */
export const POSSIBLE_CAUSE_WINDOW_MS = 72 * 3_600_000;

export interface PossibleCause {
  /** `CHG-7`. */
  label: string;
  title: string;
  state: Change['state'];
  /** The name of the item the change touched: the fault's own item or one it depends on. */
  ciName: string;
}

/** The configuration item a record card names: fault and request cards alike. */
export interface CiSummary {
  /** `CI-3`. */
  label: string;
  name: string;
  criticality: number;
  runbookUrl: string | null;
  owner: PersonView | undefined;
}

export interface FaultCiContext extends CiSummary {
  /** Newest first. */
  causes: PossibleCause[];
}

/**
 * The item a fault or service request is linked to (the first linked, by id), with its owner, or
 * undefined when the record is on no item (its "affected system" named none).
 */
export async function recordCiSummary(manager: EntityManager, kind: 'fault' | 'request', recordId: number): Promise<(CiSummary & { id: number }) | undefined> {
  // Fixed statements (src/store/plain-sql.ts): every card of a fault or request drawn after a click asks.
  const sql = PlainSql.of(manager);
  const [link] = await sql.find(manager, RecordCi, { recordKind: kind, recordId }, 'ciId');
  if (!link) return undefined;
  const item = await sql.findById(manager, ConfigurationItem, link.ciId);
  if (!item) return undefined;
  const owner = item.ownerId === null ? undefined : (await peopleViews(manager, [item.ownerId])).views.get(item.ownerId);
  return { id: item.id, label: formatCiId(item.id), name: item.name, criticality: item.criticality, runbookUrl: item.runbookUrl, owner };
}

/**
 * The item linked to fault `faultId` (the first linked, by id) with its possible causes: changes
 * linked to the item or to anything it depends on, directly or transitively, that are in progress
 * or ended at or after `now` − 72 h (`now` in UTC). Undefined when the fault is on no item.
 */
export async function faultCiContext(manager: EntityManager, faultId: number, now: Date): Promise<FaultCiContext | undefined> {
  const summary = await recordCiSummary(manager, 'fault', faultId);
  if (!summary) return undefined;
  const { id: itemId, ...shown } = summary;
  const item = { id: itemId, name: summary.name };
  const catalog = await loadCiCatalog(manager);
  const reach = new Set<number>([item.id]);
  for (let frontier = [item.id]; frontier.length > 0; ) {
    frontier = frontier.flatMap((id) => catalog.dependenciesOf(id)).filter((id) => !reach.has(id));
    for (const id of frontier) reach.add(id);
  }
  const changeLinks = await manager.find(RecordCi, { where: { recordKind: 'change', ciId: In([...reach]) }, order: { ciId: 'ASC' } });
  const ciOf = new Map<number, number>();
  for (const l of changeLinks) if (!ciOf.has(l.recordId) || l.ciId === item.id) ciOf.set(l.recordId, l.ciId);
  const since = new Date(now.getTime() - POSSIBLE_CAUSE_WINDOW_MS);
  const ids = [...ciOf.keys()];
  const changes = ids.length
    ? await manager.find(Change, {
        where: [
          { id: In(ids), state: 'in_progress' },
          { id: In(ids), startedAt: Not(IsNull()), endedAt: MoreThanOrEqual(since) },
        ],
      })
    : [];
  const causes = changes
    .filter((c) => c.startedAt === null || c.startedAt.getTime() <= now.getTime())
    .sort((a, b) => (b.endedAt ?? now).getTime() - (a.endedAt ?? now).getTime() || b.id - a.id)
    .map((c) => ({ label: formatChangeId(c.id), title: c.title, state: c.state, ciName: catalog.get(ciOf.get(c.id) ?? item.id)?.name ?? item.name }));
  return { ...shown, causes };
}
