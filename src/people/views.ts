import type { EntityManager } from 'typeorm';
import type { PersonView } from '../chat/format.js';
import { Identity, Person } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

/** The people behind ids, with their accounts, for cards that mention them. */
export async function peopleViews(manager: EntityManager, ids: number[]): Promise<{ views: Map<number, PersonView>; people: Map<number, Person> }> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { views: new Map(), people: new Map() };
  // Fixed statements (src/store/plain-sql.ts): every card drawn after a click reads its people.
  const sql = PlainSql.of(manager);
  const people = await sql.find(manager, Person, { id: unique });
  const identities = await sql.find(manager, Identity, { personId: unique }, 'id');
  const views = new Map<number, PersonView>();
  for (const p of people) views.set(p.id, { displayName: p.displayName, accounts: identities.filter((i) => i.personId === p.id) });
  return { views, people: new Map(people.map((p) => [p.id, p])) };
}
