import { In } from 'typeorm';
import { type CiCatalog } from './catalog.js';
import { CiBatches, snapshot, type BatchResult } from './batch.js';
import { loadCiCatalog } from './catalog-load.js';
import { ciChoices, type CiChoices } from './linking.js';
import { suggestCis } from './suggest.js';
import type { FormOption } from '../chat/model.js';
import { formatCiId, nameKey, parseCiId, type CiEnvironment, type CiType } from './rules.js';
import { appendAudit } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import type { Party } from '../people/actor.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import type { PeopleService } from '../people/service.js';
import type { PersonView } from '../chat/format.js';
import type { Platform } from '../chat/model.js';
import { peopleViews } from '../people/views.js';
import { ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink, RecordCi } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { expectedKey } from './views.js';
import { isOpen, isReopenable, linkedRecords, type RecordRef } from './records.js';

/** `/ops ci show` lists the changes of this many days (issue #12). */
const RECENT_CHANGE_DAYS = 30;

/** The whole item with its aliases and direct dependencies, as views show it. */
export interface CiRecord {
  item: ConfigurationItem;
  aliases: string[];
  dependsOn: ConfigurationItem[];
  /** The owner with their accounts, for a mention; undefined when nobody owns it. */
  owner: PersonView | undefined;
}

/**
 * Configuration items (policy 2, configuration management): engineers read, managers and admins
 * write. Every write is one transaction with its audit entries. Batches (the import form, `POST
 * /api/cis`) upsert by name and answer per line; `atomic` writes nothing unless every line is good.
 */
export class CiService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
  ) {
    this.batches = new CiBatches(store, clock, people);
  }

  private readonly batches: CiBatches;

  /** Throws ForbiddenError unless the actor may change configuration items (managers, admins). */
  assertWriter(actor: Actor): void {
    if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('cis.error.managerOnly');
  }

  assertReader(actor: Actor): void {
    if (!hasRole(actor.roles, 'engineer')) throw new ForbiddenError('cis.error.engineerOnly');
  }

  /** Creates one item from form values; throws InvalidInputError or ConflictError with the reason. */
  async add(actor: Actor, values: Record<string, unknown>): Promise<ConfigurationItem> {
    this.assertWriter(actor);
    const result = await this.batches.run(actor, [values], { atomic: true, mode: 'create', platform: actor.platform });
    return this.singleOutcome(result);
  }

  /** Replaces the fields of item `id` (links stay unless `depends_on` is given). */
  async edit(actor: Actor, id: number, values: Record<string, unknown>): Promise<ConfigurationItem> {
    this.assertWriter(actor);
    const result = await this.batches.run(actor, [values], { atomic: true, mode: 'edit', editId: id, platform: actor.platform, keepOwner: values.owner === undefined || values.owner === '' });
    return this.singleOutcome(result);
  }

  /** Upserts many lines by name, as the import form and the API do. `actor` is a person, or SYSTEM for the API. */
  async upsert(party: Party, rows: Record<string, unknown>[], options: { atomic: boolean; platform?: Platform; lines?: number[] }): Promise<BatchResult> {
    const result = await this.batches.run(party, rows, { atomic: options.atomic, mode: 'upsert', ...(options.platform ? { platform: options.platform } : {}) });
    // Report the caller's line numbers (the CSV line, header included) instead of positions.
    if (options.lines) {
      const lines = options.lines;
      for (const outcome of result.lines) {
        outcome.line = lines[outcome.line - 1] ?? outcome.line;
        const refusal = outcome.refusal;
        if ((refusal?.code === 'repeated' || refusal?.code === 'dependencyRefused') && refusal.params.line) refusal.params.line = String(lines[Number(refusal.params.line) - 1] ?? refusal.params.line);
      }
    }
    return result;
  }

  /** `CI-n`, a name or an alias (any case). */
  async find(ref: string): Promise<ConfigurationItem> {
    const manager = this.store.manager;
    const id = parseCiId(ref);
    let item: ConfigurationItem | null = null;
    if (id !== undefined) item = await manager.findOne(ConfigurationItem, { where: { id } });
    else {
      const key = nameKey(ref);
      item = await manager.findOne(ConfigurationItem, { where: { nameKey: key } });
      if (!item) {
        const alias = await manager.findOne(ConfigurationItemAlias, { where: { aliasKey: key } });
        if (alias) item = await manager.findOne(ConfigurationItem, { where: { id: alias.ciId } });
      }
    }
    if (!item) throw new NotFoundError('cis.error.notFound', { ref: ref.slice(0, 100) });
    return item;
  }

  async record(id: number): Promise<CiRecord> {
    const manager = this.store.manager;
    const item = await manager.findOne(ConfigurationItem, { where: { id } });
    if (!item) throw new NotFoundError('cis.error.notFound', { ref: formatCiId(id) });
    const aliases = (await manager.find(ConfigurationItemAlias, { where: { ciId: id }, order: { id: 'ASC' } })).map((a) => a.alias);
    const links = await manager.find(ConfigurationItemLink, { where: { ciId: id } });
    const dependsOn = links.length ? await manager.find(ConfigurationItem, { where: { id: In(links.map((l) => l.dependsOnId)) }, order: { name: 'ASC' } }) : [];
    const { views } = await peopleViews(manager, item.ownerId === null ? [] : [item.ownerId]);
    return { item, aliases, dependsOn, owner: item.ownerId === null ? undefined : views.get(item.ownerId) };
  }

  /** Items by name, optionally of one type and environment; at most `limit`, with the total. */
  async list(filter: { type?: CiType | undefined; environment?: CiEnvironment | undefined }, limit = 25): Promise<{ items: ConfigurationItem[]; total: number }> {
    const where: Partial<Pick<ConfigurationItem, 'type' | 'environment'>> = {};
    if (filter.type) where.type = filter.type;
    if (filter.environment) where.environment = filter.environment;
    const [items, total] = await this.store.manager.findAndCount(ConfigurationItem, { where, order: { nameKey: 'ASC' }, take: limit });
    return { items, total };
  }

  /** How a form offers the "affected system": a list, a search, or plain text (see CiChoices). */
  choices(): Promise<CiChoices> {
    return ciChoices(this.store.manager);
  }

  /** At most `limit` items whose name or alias contains `query`, best first (see suggestCis). */
  suggest(query: string, limit: number): Promise<FormOption[]> {
    return suggestCis(this.store.manager, query, limit);
  }

  /** Every item that depends on `id`, directly or through others: what is affected if it fails. */
  async dependents(id: number): Promise<ConfigurationItem[]> {
    const manager = this.store.manager;
    const seen = new Set<number>([id]);
    let frontier = [id];
    while (frontier.length > 0) {
      const links = await manager.find(ConfigurationItemLink, { where: { dependsOnId: In(frontier) } });
      frontier = links.map((l) => l.ciId).filter((c) => !seen.has(c));
      for (const c of frontier) seen.add(c);
    }
    seen.delete(id);
    return seen.size ? manager.find(ConfigurationItem, { where: { id: In([...seen]) }, order: { nameKey: 'ASC' } }) : [];
  }

  /**
   * What `/ops ci show` lists beside the item: everything that depends on it, its open records, and
   * the changes on it created within the last 30 days (`now` in UTC).
   */
  async related(id: number, now: Date): Promise<{ dependents: ConfigurationItem[]; open: RecordRef[]; changes: RecordRef[] }> {
    const dependents = await this.dependents(id);
    const records = await linkedRecords(this.store.manager, [id]);
    const since = now.getTime() - RECENT_CHANGE_DAYS * 86_400_000;
    return { dependents, open: records.filter(isOpen), changes: records.filter((r) => r.kind === 'change' && r.createdAt.getTime() >= since) };
  }

  /** `from` depends on `to` from now on; refused with the path when that would close a cycle. */
  async link(actor: Actor, fromRef: string, toRef: string): Promise<{ from: ConfigurationItem; to: ConfigurationItem; added: boolean }> {
    this.assertWriter(actor);
    return this.store.transaction(async (manager) => {
      const catalog = await loadCiCatalog(manager);
      const from = this.catalogFind(catalog, fromRef);
      const to = this.catalogFind(catalog, toRef);
      const exists = catalog.dependenciesOf(from).includes(to);
      if (!exists) {
        const refusal = catalog.addDependency(from, to);
        if (refusal) throw new ConflictError('cis.refused.cycle', refusal.params);
        await manager.insert(ConfigurationItemLink, { ciId: from, dependsOnId: to });
        await appendAudit(manager, this.clock.now(), { actor, action: 'ci.linked', recordType: 'ci', recordId: formatCiId(from), before: null, after: { dependsOn: formatCiId(to) } });
      }
      const a = await manager.findOneByOrFail(ConfigurationItem, { id: from });
      const b = await manager.findOneByOrFail(ConfigurationItem, { id: to });
      return { from: a, to: b, added: !exists };
    });
  }

  async unlink(actor: Actor, fromRef: string, toRef: string): Promise<{ from: ConfigurationItem; to: ConfigurationItem; removed: boolean }> {
    this.assertWriter(actor);
    return this.store.transaction(async (manager) => {
      const catalog = await loadCiCatalog(manager);
      const from = this.catalogFind(catalog, fromRef);
      const to = this.catalogFind(catalog, toRef);
      const result = await manager.delete(ConfigurationItemLink, { ciId: from, dependsOnId: to });
      const removed = (result.affected ?? 0) > 0;
      if (removed) await appendAudit(manager, this.clock.now(), { actor, action: 'ci.unlinked', recordType: 'ci', recordId: formatCiId(from), before: { dependsOn: formatCiId(to) }, after: null });
      const a = await manager.findOneByOrFail(ConfigurationItem, { id: from });
      const b = await manager.findOneByOrFail(ConfigurationItem, { id: to });
      return { from: a, to: b, removed };
    });
  }

  /**
   * Removes an item; refused (ConflictError naming them) while open records concern it
   * (`cis.error.openRecords`), or resolved/fulfilled ones that can still reopen (`cis.error.reopenableRecords`).
   */
  async remove(actor: Actor, ref: string): Promise<ConfigurationItem> {
    this.assertWriter(actor);
    const item = await this.find(ref);
    return this.store.transaction(async (manager) => {
      const linked = await linkedRecords(manager, [item.id]);
      const open = linked.filter(isOpen);
      if (open.length > 0) throw new ConflictError('cis.error.openRecords', { name: item.name, records: open.map((r: RecordRef) => r.label).join(', ') });
      const reopenable = linked.filter(isReopenable);
      if (reopenable.length > 0) throw new ConflictError('cis.error.reopenableRecords', { name: item.name, records: reopenable.map((r) => r.label).join(', ') });
      const aliases = (await manager.find(ConfigurationItemAlias, { where: { ciId: item.id } })).map((a) => a.alias);
      const deps = (await manager.find(ConfigurationItemLink, { where: { ciId: item.id } })).map((l) => l.dependsOnId);
      await manager.delete(RecordCi, { ciId: item.id });
      await manager.delete(ConfigurationItem, { id: item.id });
      await appendAudit(manager, this.clock.now(), { actor, action: 'ci.removed', recordType: 'ci', recordId: formatCiId(item.id), before: snapshot(item, aliases, deps), after: null });
      return item;
    });
  }

  private catalogFind(catalog: CiCatalog, ref: string): number {
    const found = catalog.find(ref);
    if (!found) throw new NotFoundError('cis.error.notFound', { ref: ref.slice(0, 100) });
    return found.id;
  }

  private singleOutcome(result: BatchResult): Promise<ConfigurationItem> {
    const [outcome] = result.lines;
    if (!outcome) throw new InvalidInputError('cis.error.empty');
    if (outcome.outcome === 'refused' && outcome.refusal) {
      const { code, params } = outcome.refusal;
      if (code === 'invalid') throw new InvalidInputError('cis.refused.invalid', { ...params, expected: { key: expectedKey(params.field) } }, params.field);
      if (code === 'required' || code === 'tooLong') throw new InvalidInputError(`cis.refused.${code}`, params, params.field);
      if (code === 'badOwner') throw new InvalidInputError('cis.refused.badOwner', params, 'owner');
      throw new ConflictError(`cis.refused.${code}`, params, code === 'unknownOwner' ? 'owner' : code === 'aliasTaken' ? 'aliases' : code === 'nameTaken' ? 'name' : undefined);
    }
    return this.store.manager.findOneByOrFail(ConfigurationItem, { id: outcome.id ?? 0 });
  }

}
