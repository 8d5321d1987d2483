import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../src/faults/queries.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const report = (title: string) => ({ title, description: 'Seen on floor 3.', category: 'network' as const, impact: 2 as const, urgency: 2 as const });

describe('/fault list scopes: newest first, one page, and the scope total', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
  });
  afterEach(async () => world.store.close());

  it('lists open faults, faults a person reported or is assigned, and all faults', async () => {
    const { services } = world;
    const anna = await world.actor('anna');
    const ben = await world.actor('ben');
    const engineer = await world.actor('li.wei');
    // Faults 1-14: anna reports the odd ones, ben the even ones.
    for (let i = 1; i <= 14; i++) await services.faults.report(i % 2 === 1 ? anna : ben, report(`Fault ${i}`));
    // Two of ben's are resolved (no longer open); li.wei takes one of ben's and one of anna's.
    for (const id of [2, 14]) await services.faults.resolve(engineer, id, { rootCause: 'Cable', resolutionSteps: 'Replaced' });
    await services.faults.acknowledge(engineer, 12);
    await services.faults.acknowledge(engineer, 5);

    const ids = (page: { faults: { id: number }[] }) => page.faults.map((f) => f.id);
    const open = await services.faultQueries.list(anna, 'open');
    expect(open.total).toBe(12);
    expect(ids(open)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4].slice(0, PAGE_SIZE));

    const annas = await services.faultQueries.list(anna, 'mine');
    expect(annas.total).toBe(7);
    expect(ids(annas)).toEqual([13, 11, 9, 7, 5, 3, 1]);

    // Assigned (by acknowledging) or resolved by the engineer counts as theirs; reported faults are the reporter's.
    const engineers = await services.faultQueries.list(engineer, 'mine');
    expect(ids(engineers)).toEqual([14, 12, 5, 2]);
    expect(engineers.total).toBe(4);

    const all = await services.faultQueries.list(ben, 'all');
    expect(all.total).toBe(14);
    expect(ids(all)).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5]);
    // Whole records, as the list view renders them.
    expect(all.faults[0]).toMatchObject({ title: 'Fault 14', state: 'resolved', reporterId: ben.personId, assigneeId: engineer.personId });
    expect(all.faults[0]?.createdAt).toBeInstanceOf(Date);
  });

  it('gives an empty page and a zero total when nothing matches', async () => {
    const nobody = await world.actor('nobody');
    const page = await world.services.faultQueries.list(nobody, 'mine');
    expect(page).toEqual({ faults: [], total: 0 });
  });
});
