// Batches of configuration items (the add and edit forms, the import form, `POST /api/cis`): each line
// parsed, planned against the catalog (names, aliases, owners, depends-on links without cycles) and
// written in one transaction with its audit entries, or refused with its reason.
import { type EntityManager } from 'typeorm';
import { columnMismatch } from './batch-input.js';
import { cycleFrom, cycleRefusal, type Refusal } from './catalog.js';
import { loadCiCatalog } from './catalog-load.js';
import { completeLine, parseCiLine, type CiLine, type CiLineInput, type LineProblem } from './input.js';
import { formatCiId, nameKey, splitNames } from './rules.js';
import { appendAudit } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import type { Party } from '../people/actor.js';
import { accountId } from '../people/account-id.js';
import type { PeopleService } from '../people/service.js';
import type { Platform } from '../chat/model.js';
import { PLATFORMS } from '../chat/model.js';
import { ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink, Person } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

/** What happened to one line of a batch. `line` counts from 1 (the CSV header is line 0). */
export interface LineOutcome {
  line: number;
  name: string;
  outcome: 'created' | 'changed' | 'unchanged' | 'refused';
  id?: number;
  /** Why it was refused: `cis.refused.<code>` in the catalog, with its parameters. */
  refusal?: Refusal | { code: OwnerRefusal | 'columns' | 'repeated'; params: Record<string, string> } | { code: LineProblem['problem']; params: Record<string, string> };
}

/** Why an owner was refused: nobody by that name, or a `platform:id` whose id the platform cannot have. */
type OwnerRefusal = 'unknownOwner' | 'badOwner';

/** An owner resolved to a person's id (null: no owner), or refused. */
type OwnerLookup = { id: number | null } | { refusal: OwnerRefusal };

export interface BatchResult {
  lines: LineOutcome[];
  /** False when `atomic` was asked and a line was refused: nothing was written. */
  written: boolean;
}

export interface BatchOptions {
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

export function snapshot(item: Pick<ConfigurationItem, 'name' | 'type' | 'environment' | 'ownerId' | 'criticality' | 'runbookUrl' | 'notes'>, aliases: string[], dependsOn: number[] | undefined) {
  return { name: item.name, type: item.type, environment: item.environment, ownerId: item.ownerId, criticality: item.criticality, runbookUrl: item.runbookUrl, notes: item.notes, aliases, dependsOn };
}

/**
 * Runs batches of item lines in one transaction. Lines are upserted by name (or created or edited,
 * by `mode`); each refused line gets its reason; `atomic` writes nothing unless every line is good.
 */
export class CiBatches {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly people: PeopleService,
  ) {}

  /**
   * `platform:userId` (created if new, so owners can be named ahead; the id must be one the platform
   * could have, by accountId), `@name`, or a person's display name. Null for no owner.
   */
  private async ownerId(manager: EntityManager, owner: string | null, platform: Platform | undefined): Promise<OwnerLookup> {
    if (owner === null) return { id: null };
    const account = /^([a-z]+):(\S{1,64})$/.exec(owner);
    const accountPlatform = PLATFORMS.find((p) => p === account?.[1]);
    if (account && accountPlatform) return this.account(manager, accountPlatform, account[2] ?? '');
    const name = owner.replace(/^@/, '').trim();
    const people = await manager.createQueryBuilder(Person, 'p').where('LOWER(p.display_name) = :name', { name: name.toLowerCase() }).take(2).getMany();
    const [only] = people;
    if (people.length === 1 && only) return { id: only.id };
    if (platform) {
      const mentioned = /^<@!?([A-Z0-9]{2,64})(?:\|[^>]*)?>$/i.exec(owner);
      if (mentioned) return this.account(manager, platform, mentioned[1] ?? '');
    }
    return { refusal: 'unknownOwner' };
  }

  private async account(manager: EntityManager, platform: Platform, raw: string): Promise<OwnerLookup> {
    const userId = accountId(platform, raw);
    if (userId === undefined) return { refusal: 'badOwner' };
    return { id: (await this.people.personFor(manager, { platform, userId })).id };
  }

  /** One batch; line numbers in the result count from 1 in `rows` order. */
  async run(party: Party, rows: Record<string, unknown>[], options: BatchOptions): Promise<BatchResult> {
    return this.store.transaction(async (manager) => {
      const refused = new Map<number, NonNullable<LineOutcome['refusal']>>();
      const lines = new Map<number, CiLineInput>();
      for (const [index, raw] of rows.entries()) {
        const mismatch = columnMismatch(raw);
        if (mismatch) {
          refused.set(index, { code: 'columns', params: { expected: String(mismatch.expected), found: String(mismatch.found) } });
          continue;
        }
        const parsed = parseCiLine(raw);
        if ('problem' in parsed) refused.set(index, lineRefusal(parsed.problem));
        else lines.set(index, parsed.line);
      }
      // A name (any case) given twice in one batch: the later line is refused, whether or not the item
      // exists, naming the first (`line` is the position from 1; upsert maps it to the caller's line).
      const firstLine = new Map<string, number>();
      for (const [index, line] of lines) {
        const first = firstLine.get(nameKey(line.name));
        if (first === undefined) firstLine.set(nameKey(line.name), index);
        else refused.set(index, { code: 'repeated', params: { name: line.name, line: String(first + 1) } });
      }
      // A line refused for its dependencies may be one that later lines depend on: plan again without
      // it until no new line is refused (each round refuses at least one more, so this ends).
      let planned: Planned[];
      const cycles = new Map<number, string[]>();
      const names = batchNames(rows, lines);
      for (;;) {
        const known = refused.size;
        planned = await this.plan(manager, { lines, names, refused, cycles }, options);
        if (refused.size === known) break;
      }
      const outcomes: LineOutcome[] = rows.map((raw, index) => {
        const name = lines.get(index)?.name ?? (typeof raw.name === 'string' ? raw.name.trim().slice(0, 100) : '');
        const refusal = refused.get(index);
        if (refusal) return { line: index + 1, name, outcome: 'refused', refusal };
        return { line: index + 1, name, outcome: planned.find((p) => p.lineNo === index + 1)?.before ? 'changed' : 'created' };
      });
      if (options.atomic && refused.size > 0) {
        // Nothing is written, so a line that would create an item has no id; one naming an item that
        // exists still gets that item's id, as the per-line answer gives it.
        for (const p of planned) {
          const outcome = outcomes[p.lineNo - 1];
          if (p.before && outcome) outcome.id = p.before.id;
        }
        return { lines: outcomes, written: false };
      }
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
  private async plan(manager: EntityManager, batch: BatchState, options: BatchOptions): Promise<Planned[]> {
    const { lines, refused, cycles } = batch;
    const catalog = await loadCiCatalog(manager);
    const planned: Planned[] = [];
    const createdHere = new Set<number>();
    for (const [index, input] of lines) {
      if (refused.has(index)) continue;
      let existing: number | undefined;
      if (options.mode === 'edit') {
        existing = options.editId ?? 0;
        if (!catalog.get(existing)) {
          refused.set(index, { code: 'notFound', params: { ref: formatCiId(existing) } });
          continue;
        }
      } else if (options.mode === 'upsert') {
        const found = catalog.find(input.name);
        if (found && createdHere.has(found.id)) {
          refused.set(index, { code: 'nameTaken', params: { name: input.name, other: found.name } });
          continue;
        }
        if (found && nameKey(found.name) === nameKey(input.name)) existing = found.id;
      }
      const before = existing === undefined ? undefined : await manager.findOneByOrFail(ConfigurationItem, { id: existing });
      // Fields the line leaves out keep the item's (docs/cis-search-exports.md, "Partial updates").
      const beforeAliases = before ? (await manager.find(ConfigurationItemAlias, { where: { ciId: before.id }, order: { id: 'ASC' } })).map((a) => a.alias) : [];
      const line = completeLine(input, before ? { criticality: before.criticality, runbookUrl: before.runbookUrl, aliases: beforeAliases } : undefined);
      const names = catalog.checkNames(existing, line.name, line.aliases);
      if (names) {
        refused.set(index, names);
        continue;
      }
      const keepOwner = before && (options.keepOwner || input.owner === undefined);
      const owner = keepOwner ? { id: before.ownerId } : await this.ownerId(manager, line.owner, options.platform);
      if ('refusal' in owner) {
        refused.set(index, { code: owner.refusal, params: { owner: line.owner ?? '' } });
        continue;
      }
      const ownerId = owner.id;
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
      const onRefusedLine = refusedDependency(p.line.name, p.line.dependsOn.filter((name) => !catalog.find(name)), batch);
      if (onRefusedLine) {
        refused.set(p.lineNo - 1, onRefusedLine.refusal);
        if (onRefusedLine.cycle) cycles.set(p.lineNo - 1, onRefusedLine.cycle);
        continue;
      }
      const resolved = catalog.resolve(p.line.dependsOn);
      if ('refusal' in resolved) {
        refused.set(p.lineNo - 1, resolved.refusal);
        continue;
      }
      const cycle = catalog.cycleNames(p.id, resolved.ids);
      if (cycle) {
        refused.set(p.lineNo - 1, cycleRefusal(cycle));
        cycles.set(p.lineNo - 1, cycle);
        continue;
      }
      catalog.setDependencies(p.id, resolved.ids);
      p.dependsOn = resolved.ids;
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

/** What the planning rounds of one batch share; line indexes count from 0 in `rows` order. */
interface BatchState {
  /** The lines that parsed. */
  lines: Map<number, CiLineInput>;
  /** Every line's name and aliases, as given (lines that did not parse too), for refusedDependency. */
  names: Map<number, string[]>;
  refused: Map<number, NonNullable<LineOutcome['refusal']>>;
  /** The cycle (names from the line's item back to it) each line refused for one would close. */
  cycles: Map<number, string[]>;
}

/** Each line's name and aliases: parsed, or as typed when the line did not parse. */
function batchNames(rows: Record<string, unknown>[], lines: Map<number, CiLineInput>): Map<number, string[]> {
  const names = new Map<number, string[]>();
  for (const [index, raw] of rows.entries()) {
    const line = lines.get(index);
    if (line) names.set(index, [line.name, ...(line.aliases ?? [])]);
    else if (typeof raw.name === 'string' && raw.name.trim()) names.set(index, [raw.name.trim(), ...splitNames(typeof raw.aliases === 'string' ? raw.aliases : undefined)]);
  }
  return names;
}

/**
 * Why the line of item `name`, which depends on `missing` names (in no item yet), is refused when one
 * of them is an item another line of this batch would have made, but that line was refused: the same
 * cycle told from this line's item when that line closed a cycle through it (so every line of a cycle
 * made within one batch names the path, as `/ops ci link` does), else `dependencyRefused` naming that
 * line (`line` counts from 1, like LineOutcome.line). Undefined when no missing name is such an item.
 */
function refusedDependency(name: string, missing: readonly string[], batch: BatchState): { refusal: NonNullable<LineOutcome['refusal']>; cycle?: string[] } | undefined {
  for (const wanted of missing) {
    for (const [index, given] of batch.names) {
      if (!batch.refused.has(index) || !given.some((n) => nameKey(n) === nameKey(wanted))) continue;
      const through = batch.cycles.get(index);
      const cycle = through ? cycleFrom(through, name) : undefined;
      if (cycle) return { refusal: cycleRefusal(cycle), cycle };
      return { refusal: { code: 'dependencyRefused', params: { name: wanted, line: String(index + 1) } } };
    }
  }
  return undefined;
}
