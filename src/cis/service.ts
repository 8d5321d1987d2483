import { In, type EntityManager } from 'typeorm';
import { type CiCatalog, type Refusal } from './catalog.js';
import { loadCiCatalog } from './catalog-load.js';
import { ciChoices } from './linking.js';
import type { FormOption } from '../chat/model.js';
import { parseCiLine, type CiLine, type LineProblem } from './input.js';
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
import { PLATFORMS } from '../chat/model.js';
import { ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink, Person, RecordCi } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import { expectedKey } from './views.js';
import { isOpen, linkedRecords, openRecordsOf, type RecordRef } from './records.js';

/** `/ops ci show` lists the changes of this many days (issue #12). */
const RECENT_CHANGE_DAYS = 30;

/** What happened to one line of a batch. `line` counts from 1 (the CSV header is line 0). */
export interface LineOutcome {
  line: number;
  name: string;
  outcome: 'created' | 'changed' | 'unchanged' | 'refused';
  id?: number;
  /** Why it was refused: `cis.refused.<code>` in the catalog, with its parameters. */
  refusal?: Refusal | { code: 'unknownOwner'; params: Record<string, string> } | { code: LineProblem['problem']; params: Record<string, string> };
}

export interface BatchResult {
  lines: LineOutcome[];
  /** False when `atomic` was asked and a line was refused: nothing was written. */
  written: boolean;
}

/** The whole item with its aliases and direct dependencies, as views show it. */
export interface CiRecord {
  item: ConfigurationItem;
  aliases: string[];
  dependsOn: ConfigurationItem[];
  /** The owner with their accounts, for a mention; undefined when nobody owns it. */
  owner: PersonView | undefined;
}

interface BatchOptions {
  atomic: boolean;
  mode: 'create' | 'edit' | 'upsert';
  editId?: number;
  platform?: Platform;
  /** Edit form: an empty owner picker keeps the owner (a picker cannot be pre-filled with every platform's account). */
  keepOwner?: boolean;
}

interface Planned {
  lineNo: number;
  /** The database id, or a negative id for an item this batch creates. */
  id: number;
  line: CiLine;
  ownerId: number | null;
  before: ConfigurationItem | undefined;
  dependsOn: number[] | undefined;
}

function snapshot(item: Pick<ConfigurationItem, 'name' | 'type' | 'environment' | 'ownerId' | 'criticality' | 'runbookUrl' | 'notes'>, aliases: string[], dependsOn: number[] | undefined) {
  return { name: item.name, type: item.type, environment: item.environment, ownerId: item.ownerId, criticality: item.criticality, runbookUrl: item.runbookUrl, notes: item.notes, aliases, dependsOn };
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
  ) {}

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
    const result = await this.batch(actor, [values], { atomic: true, mode: 'create', platform: actor.platform });
    return this.singleOutcome(result);
  }

  /** Replaces the fields of item `id` (links stay unless `depends_on` is given). */
  async edit(actor: Actor, id: number, values: Record<string, unknown>): Promise<ConfigurationItem> {
    this.assertWriter(actor);
    const result = await this.batch(actor, [values], { atomic: true, mode: 'edit', editId: id, platform: actor.platform, keepOwner: values.owner === undefined || values.owner === '' });
    return this.singleOutcome(result);
  }

  /** Upserts many lines by name, as the import form and the API do. `actor` is a person, or SYSTEM for the API. */
  async upsert(party: Party, rows: Record<string, unknown>[], options: { atomic: boolean; platform?: Platform; lines?: number[] }): Promise<BatchResult> {
    const result = await this.batch(party, rows, { atomic: options.atomic, mode: 'upsert', ...(options.platform ? { platform: options.platform } : {}) });
    // Report the caller's line numbers (the CSV line, header included) instead of positions.
    if (options.lines) for (const outcome of result.lines) outcome.line = options.lines[outcome.line - 1] ?? outcome.line;
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

  /** The items as the options of a form's "affected system" choice, or undefined for a text input (see ciChoices). */
  choices(): Promise<FormOption[] | undefined> {
    return ciChoices(this.store.manager);
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
      const catalog = await this.loadCatalog(manager);
      const from = this.catalogFind(catalog, fromRef);
      const to = this.catalogFind(catalog, toRef);
      const exists = catalog.dependenciesOf(from).includes(to);
      if (!exists) {
        const refusal = catalog.addDependency(from, to);
        if (refusal) throw new ConflictError('cis.refused.cycle', refusal.params);
        await manager.insert(ConfigurationItemLink, { ciId: from, dependsOnId: to });
        await appendAudit(manager, this.clock.now(), { actor, action: 'ci.linked', recordType: 'ci', recordId: formatCiId(from), before: null, after: { dependsOn: formatCiId(to) } });
      }
      const [a, b] = await Promise.all([manager.findOneByOrFail(ConfigurationItem, { id: from }), manager.findOneByOrFail(ConfigurationItem, { id: to })]);
      return { from: a, to: b, added: !exists };
    });
  }

  async unlink(actor: Actor, fromRef: string, toRef: string): Promise<{ from: ConfigurationItem; to: ConfigurationItem; removed: boolean }> {
    this.assertWriter(actor);
    return this.store.transaction(async (manager) => {
      const catalog = await this.loadCatalog(manager);
      const from = this.catalogFind(catalog, fromRef);
      const to = this.catalogFind(catalog, toRef);
      const result = await manager.delete(ConfigurationItemLink, { ciId: from, dependsOnId: to });
      const removed = (result.affected ?? 0) > 0;
      if (removed) await appendAudit(manager, this.clock.now(), { actor, action: 'ci.unlinked', recordType: 'ci', recordId: formatCiId(from), before: { dependsOn: formatCiId(to) }, after: null });
      const [a, b] = await Promise.all([manager.findOneByOrFail(ConfigurationItem, { id: from }), manager.findOneByOrFail(ConfigurationItem, { id: to })]);
      return { from: a, to: b, removed };
    });
  }

  /** Removes an item; refused (ConflictError naming them) while open records concern it. */
  async remove(actor: Actor, ref: string): Promise<ConfigurationItem> {
    this.assertWriter(actor);
    const item = await this.find(ref);
    return this.store.transaction(async (manager) => {
      const open = await openRecordsOf(manager, item.id);
      if (open.length > 0) throw new ConflictError('cis.error.openRecords', { name: item.name, records: open.map((r: RecordRef) => r.label).join(', ') });
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
      throw new ConflictError(`cis.refused.${code}`, params, code === 'unknownOwner' ? 'owner' : code === 'aliasTaken' ? 'aliases' : code === 'nameTaken' ? 'name' : undefined);
    }
    return this.store.manager.findOneByOrFail(ConfigurationItem, { id: outcome.id ?? 0 });
  }

  private loadCatalog(manager: EntityManager): Promise<CiCatalog> {
    return loadCiCatalog(manager);
  }

  /** `platform:userId` (created if new, so owners can be named ahead), `@name`, or a person's display name. */
  private async ownerId(manager: EntityManager, owner: string | null, platform: Platform | undefined): Promise<number | null | undefined> {
    if (owner === null) return null;
    const account = /^([a-z]+):(\S{1,64})$/.exec(owner);
    if (account && (PLATFORMS as readonly string[]).includes(account[1] ?? '')) {
      const person = await this.people.personFor(manager, { platform: account[1] as Platform, userId: account[2] ?? '' });
      return person.id;
    }
    const name = owner.replace(/^@/, '').trim();
    const people = await manager.createQueryBuilder(Person, 'p').where('LOWER(p.display_name) = :name', { name: name.toLowerCase() }).take(2).getMany();
    if (people.length === 1) return people[0]?.id;
    if (platform) {
      const mentioned = /^<@!?([A-Z0-9]{2,64})(?:\|[^>]*)?>$/i.exec(owner);
      if (mentioned) return (await this.people.personFor(manager, { platform, userId: mentioned[1] ?? '' })).id;
    }
    return undefined;
  }

  private async batch(party: Party, rows: Record<string, unknown>[], options: BatchOptions): Promise<BatchResult> {
    return this.store.transaction(async (manager) => {
      const refused = new Map<number, NonNullable<LineOutcome['refusal']>>();
      const lines = new Map<number, CiLine>();
      for (const [index, raw] of rows.entries()) {
        const parsed = parseCiLine(raw);
        if ('problem' in parsed) refused.set(index, lineRefusal(parsed.problem));
        else lines.set(index, parsed.line);
      }
      // A line refused for its dependencies may be one that later lines depend on: plan again without
      // it until no new line is refused (each round refuses at least one more, so this ends).
      let planned: Planned[];
      for (;;) {
        const known = refused.size;
        planned = await this.plan(manager, lines, refused, options);
        if (refused.size === known) break;
      }
      const outcomes: LineOutcome[] = rows.map((raw, index) => {
        const name = lines.get(index)?.name ?? (typeof raw.name === 'string' ? raw.name.trim().slice(0, 100) : '');
        const refusal = refused.get(index);
        if (refusal) return { line: index + 1, name, outcome: 'refused', refusal };
        return { line: index + 1, name, outcome: planned.find((p) => p.lineNo === index + 1)?.before ? 'changed' : 'created' };
      });
      if (options.atomic && refused.size > 0) return { lines: outcomes, written: false };
      const ids = await this.write(manager, party, planned, outcomes);
      for (const o of outcomes) {
        const id = ids.get(o.line);
        if (id !== undefined) o.id = id;
      }
      return { lines: outcomes, written: true };
    });
  }

  /**
   * One planning round over the lines not refused yet: names, aliases and owners first (so that a line
   * may depend on an item a later line creates), then the depends-on links. Refusals go into `refused`.
   */
  private async plan(manager: EntityManager, lines: Map<number, CiLine>, refused: Map<number, NonNullable<LineOutcome['refusal']>>, options: BatchOptions): Promise<Planned[]> {
    const catalog = await this.loadCatalog(manager);
    const planned: Planned[] = [];
    const createdHere = new Set<number>();
    for (const [index, line] of lines) {
      if (refused.has(index)) continue;
      let existing: number | undefined;
      if (options.mode === 'edit') {
        existing = options.editId ?? 0;
        if (!catalog.get(existing)) {
          refused.set(index, { code: 'notFound', params: { ref: formatCiId(existing) } });
          continue;
        }
      } else if (options.mode === 'upsert') {
        const found = catalog.find(line.name);
        if (found && createdHere.has(found.id)) {
          refused.set(index, { code: 'nameTaken', params: { name: line.name, other: found.name } });
          continue;
        }
        if (found && nameKey(found.name) === nameKey(line.name)) existing = found.id;
      }
      const names = catalog.checkNames(existing, line.name, line.aliases);
      if (names) {
        refused.set(index, names);
        continue;
      }
      const before = existing === undefined ? undefined : await manager.findOneByOrFail(ConfigurationItem, { id: existing });
      const ownerId = options.keepOwner && before ? before.ownerId : await this.ownerId(manager, line.owner, options.platform);
      if (ownerId === undefined) {
        refused.set(index, { code: 'unknownOwner', params: { owner: line.owner ?? '' } });
        continue;
      }
      let id: number;
      if (existing === undefined) {
        id = catalog.add(line.name, line.aliases);
        createdHere.add(id);
      } else {
        id = existing;
        catalog.rename(id, line.name, line.aliases);
      }
      planned.push({ lineNo: index + 1, id, line, ownerId, before, dependsOn: undefined });
    }
    for (const p of planned) {
      if (p.line.dependsOn === undefined) continue;
      const resolved = catalog.resolve(p.line.dependsOn);
      const refusal = 'refusal' in resolved ? resolved.refusal : catalog.setDependencies(p.id, resolved.ids);
      if (refusal) refused.set(p.lineNo - 1, refusal);
      else if ('ids' in resolved) p.dependsOn = resolved.ids;
    }
    return planned.filter((p) => !refused.has(p.lineNo - 1));
  }

  /** Writes planned lines; returns line number -> database id. Lines that change nothing become `unchanged`. */
  private async write(manager: EntityManager, party: Party, planned: Planned[], outcomes: LineOutcome[]): Promise<Map<number, number>> {
    const now = this.clock.now();
    const realIds = new Map<number, number>();
    const byLine = new Map<number, number>();
    const oldAliases = new Map<number, string[]>();
    const oldDeps = new Map<number, number[]>();
    for (const p of planned) {
      const fields = {
        name: p.line.name,
        nameKey: nameKey(p.line.name),
        type: p.line.type,
        environment: p.line.environment,
        ownerId: p.ownerId,
        criticality: p.line.criticality,
        runbookUrl: p.line.runbookUrl,
        notes: p.line.notes === undefined ? (p.before?.notes ?? null) : p.line.notes,
      };
      if (p.before) {
        oldAliases.set(p.id, (await manager.find(ConfigurationItemAlias, { where: { ciId: p.id }, order: { id: 'ASC' } })).map((a) => a.alias));
        oldDeps.set(p.id, (await manager.find(ConfigurationItemLink, { where: { ciId: p.id } })).map((l) => l.dependsOnId).sort((a, b) => a - b));
        await manager.update(ConfigurationItem, { id: p.id }, { ...fields, updatedAt: now });
        realIds.set(p.id, p.id);
      } else {
        const created = await manager.save(ConfigurationItem, manager.create(ConfigurationItem, { ...fields, createdAt: now, updatedAt: now }));
        realIds.set(p.id, created.id);
      }
      byLine.set(p.lineNo, realIds.get(p.id) as number);
    }
    // Aliases are replaced after every name is written, all removed before any is added, so that an
    // alias can move from one item to another in one batch.
    for (const p of planned) await manager.delete(ConfigurationItemAlias, { ciId: realIds.get(p.id) as number });
    for (const p of planned) {
      const id = realIds.get(p.id) as number;
      if (p.line.aliases.length) await manager.insert(ConfigurationItemAlias, p.line.aliases.map((alias) => ({ ciId: id, alias, aliasKey: nameKey(alias) })));
    }
    for (const p of planned) {
      if (!p.dependsOn) continue;
      const id = realIds.get(p.id) as number;
      await manager.delete(ConfigurationItemLink, { ciId: id });
      const targets = p.dependsOn.map((d) => realIds.get(d) ?? d);
      if (targets.length) await manager.insert(ConfigurationItemLink, targets.map((dependsOnId) => ({ ciId: id, dependsOnId })));
    }
    for (const p of planned) {
      const id = realIds.get(p.id) as number;
      const deps = p.dependsOn?.map((d) => realIds.get(d) ?? d).sort((a, b) => a - b);
      const after = snapshot({ ...p.line, ownerId: p.ownerId, notes: p.line.notes === undefined ? (p.before?.notes ?? null) : p.line.notes }, p.line.aliases, deps ?? oldDeps.get(id));
      if (p.before) {
        const before = snapshot(p.before, oldAliases.get(id) ?? [], oldDeps.get(id));
        if (JSON.stringify(before) === JSON.stringify(after)) {
          const outcome = outcomes.find((o) => o.line === p.lineNo);
          if (outcome) outcome.outcome = 'unchanged';
          continue;
        }
        await appendAudit(manager, now, { actor: party, action: 'ci.changed', recordType: 'ci', recordId: formatCiId(id), before, after });
      } else {
        await appendAudit(manager, now, { actor: party, action: 'ci.created', recordType: 'ci', recordId: formatCiId(id), before: null, after });
      }
    }
    return byLine;
  }
}

function lineRefusal(problem: LineProblem): NonNullable<LineOutcome['refusal']> {
  return { code: problem.problem, params: { field: problem.field } };
}
