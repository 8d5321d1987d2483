// An in-memory picture of every configuration item's name, aliases and depends-on links, on which a
// batch of additions and edits is planned line by line before anything is written: each line is
// checked against the state the earlier lines left, so one bad line never spoils the others.
import { closestNames, cyclePath, formatCiId, nameKey } from './rules.js';

export interface CatalogItem {
  /** A database id, or a negative number for an item this batch creates. */
  id: number;
  name: string;
  aliases: string[];
}

/** Why a line was refused: a catalog key suffix (`cis.refused.<code>`) and its parameters. */
export interface Refusal {
  code: 'nameTaken' | 'aliasTaken' | 'unknownDependency' | 'unknownDependencyNoClosest' | 'cycle' | 'notFound' | 'dependencyRefused';
  params: Record<string, string>;
}

export class CiCatalog {
  private readonly items = new Map<number, CatalogItem>();
  /** nameKey of every name and alias -> item id. */
  private readonly keys = new Map<string, number>();
  private readonly deps = new Map<number, Set<number>>();
  private nextTemporaryId = -1;

  constructor(items: readonly CatalogItem[], links: readonly { ciId: number; dependsOnId: number }[]) {
    for (const item of items) this.put({ ...item, aliases: [...item.aliases] });
    for (const link of links) this.depsOf(link.ciId).add(link.dependsOnId);
  }

  /** The item named (by name or alias, any case), or by `CI-n`. */
  find(ref: string): CatalogItem | undefined {
    const byId = /^ci-(\d{1,9})$/i.exec(ref.trim());
    if (byId) return this.items.get(Number(byId[1]));
    const id = this.keys.get(nameKey(ref));
    return id === undefined ? undefined : this.items.get(id);
  }

  get(id: number): CatalogItem | undefined {
    return this.items.get(id);
  }

  dependenciesOf(id: number): number[] {
    return [...(this.deps.get(id) ?? [])];
  }

  allNames(): string[] {
    return [...this.items.values()].map((i) => i.name);
  }

  /** A label for messages: the name, with the id when the item exists already. */
  label(id: number): string {
    const item = this.items.get(id);
    if (!item) return String(id);
    return id > 0 ? `${item.name} (${formatCiId(id)})` : item.name;
  }

  /**
   * Checks that `name` and `aliases` are free for item `id` (undefined: a new item). Returns a refusal,
   * or undefined when they are free.
   */
  checkNames(id: number | undefined, name: string, aliases: readonly string[]): Refusal | undefined {
    const owner = this.keys.get(nameKey(name));
    if (owner !== undefined && owner !== id) return { code: 'nameTaken', params: { name, other: this.label(owner) } };
    for (const alias of aliases) {
      const holder = this.keys.get(nameKey(alias));
      if (holder !== undefined && holder !== id) return { code: 'aliasTaken', params: { alias, other: this.label(holder) } };
    }
    return undefined;
  }

  /** Adds a new item (names already checked) and returns its temporary id. */
  add(name: string, aliases: readonly string[]): number {
    const id = this.nextTemporaryId--;
    this.put({ id, name, aliases: [...aliases] });
    return id;
  }

  /** Renames an item and replaces its aliases (names already checked). */
  rename(id: number, name: string, aliases: readonly string[]): void {
    const item = this.items.get(id);
    if (!item) return;
    for (const key of [item.name, ...item.aliases]) this.keys.delete(nameKey(key));
    this.put({ id, name, aliases: [...aliases] });
  }

  /**
   * Resolves dependency names to ids, or refuses the first unknown one with the closest known names
   * (`unknownDependency`), or without any when none is close (`unknownDependencyNoClosest`).
   */
  resolve(names: readonly string[]): { ids: number[] } | { refusal: Refusal } {
    const ids: number[] = [];
    for (const name of names) {
      const item = this.find(name);
      if (!item) {
        const closest = closestNames(name, this.allNames());
        // No close name: no "(closest: …)" hint at all rather than an empty one.
        if (closest.length === 0) return { refusal: { code: 'unknownDependencyNoClosest', params: { name } } };
        return { refusal: { code: 'unknownDependency', params: { name, closest: closest.join(', ') } } };
      }
      if (!ids.includes(item.id)) ids.push(item.id);
    }
    return { ids };
  }

  /**
   * Replaces item `id`'s dependencies with `dependsOn`, unless one of them would close a cycle: then
   * nothing changes and the refusal names the cycle (`a → b → a`).
   */
  setDependencies(id: number, dependsOn: readonly number[]): Refusal | undefined {
    const cycle = this.cycleNames(id, dependsOn);
    if (cycle) return cycleRefusal(cycle);
    this.deps.set(id, new Set(dependsOn));
    return undefined;
  }

  /**
   * The names along the cycle that giving item `id` the dependencies `dependsOn` would close, from
   * `id` back to it (`[a, b, a]`), or undefined when none would.
   */
  cycleNames(id: number, dependsOn: readonly number[]): string[] | undefined {
    for (const target of dependsOn) {
      const path = cyclePath(id, target, (n) => (n === id ? [] : this.dependenciesOf(n)));
      if (path) return path.map((n) => this.items.get(n)?.name ?? String(n));
    }
    return undefined;
  }

  /** Adds one dependency, refused like setDependencies when it would close a cycle. */
  addDependency(id: number, target: number): Refusal | undefined {
    return this.setDependencies(id, [...this.dependenciesOf(id).filter((d) => d !== target), target]);
  }

  private put(item: CatalogItem): void {
    this.items.set(item.id, item);
    this.keys.set(nameKey(item.name), item.id);
    for (const alias of item.aliases) this.keys.set(nameKey(alias), item.id);
  }

  private depsOf(id: number): Set<number> {
    let set = this.deps.get(id);
    if (!set) this.deps.set(id, (set = new Set()));
    return set;
  }
}

/** The refusal of a link that would close `cycle` (names from the item back to it): `a → b → a`. */
export function cycleRefusal(cycle: readonly string[]): Refusal {
  return { code: 'cycle', params: { path: cycle.join(' → ') } };
}

/**
 * The same cycle told from the item called `name` (`[b, c, a, b]` from `[a, b, c, a]` and `b`), or
 * undefined when that item is not on it. Names compare by nameKey.
 */
export function cycleFrom(cycle: readonly string[], name: string): string[] | undefined {
  const nodes = cycle.slice(0, -1);
  const at = nodes.findIndex((n) => nameKey(n) === nameKey(name));
  if (at < 0) return undefined;
  const turned = [...nodes.slice(at), ...nodes.slice(0, at)];
  return [...turned, turned[0] ?? name];
}
