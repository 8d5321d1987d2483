import type { EntityManager } from 'typeorm';
import type { PersonView } from '../chat/format.js';
import { Identity, Person } from '../store/entities/index.js';

/** The people behind ids, with their accounts, for cards that mention them. */
export async function peopleViews(manager: EntityManager, ids: number[]): Promise<{ views: Map<number, PersonView>; people: Map<number, Person> }> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { views: new Map(), people: new Map() };
  const people = await manager.createQueryBuilder(Person, 'p').where('p.id IN (:...ids)', { ids: unique }).getMany();
  const identities = await manager
    .createQueryBuilder(Identity, 'i')
    .where('i.person_id IN (:...ids)', { ids: unique })
    .orderBy('i.id', 'ASC')
    .getMany();
  const views = new Map<number, PersonView>();
  for (const p of people) views.set(p.id, { displayName: p.displayName, accounts: identities.filter((i) => i.personId === p.id) });
  return { views, people: new Map(people.map((p) => [p.id, p])) };
}
