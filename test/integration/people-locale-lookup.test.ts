// PeopleService.resolveWithLocale with a platform lookup (Slack users.info for slash commands, which
// carry no locale): asked only when the event has no locale and none is stored, and what it gives is
// stored like a locale seen on an event. Real services, real migrations.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatActor } from '../../src/chat/model.js';
import { Person } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

describe('the locale of a person whose events carry none, asked of the platform', () => {
  let world: TestWorld;
  beforeEach(async () => {
    world = await openTestWorld();
  });
  afterEach(async () => world.store.close());

  /** A lookup that counts its calls and gives `locale`. */
  function lookup(locale: string | undefined): { localeOf: () => Promise<string | undefined>; calls: () => number } {
    let calls = 0;
    return {
      localeOf: () => {
        calls += 1;
        return Promise.resolve(locale);
      },
      calls: () => calls,
    };
  }

  const command = (userId: string): ChatActor => ({ platform: 'slack', userId, displayName: userId.toLowerCase() });
  const storedLocaleOf = async (userId: string) => (await world.services.people.lookup('slack', userId))?.locale ?? null;

  it('asks for a new person and stores the answer; does not ask once a locale is stored, or when the event carries one', async () => {
    const slack = lookup('zh-CN');
    expect((await world.services.people.resolveWithLocale(command('U0MEI'), slack.localeOf)).storedLocale).toBe('zh-CN');
    expect(await storedLocaleOf('U0MEI')).toBe('zh-CN');
    expect((await world.services.people.resolveWithLocale(command('U0MEI'), slack.localeOf)).storedLocale).toBe('zh-CN');
    expect(slack.calls()).toBe(1);

    // An event that carries the locale (Discord's do): it wins, nothing is asked, and a person first
    // seen with it is stored in the bot's spelling, as a locale seen later would be.
    const clicked = await world.services.people.resolveWithLocale({ ...command('U0ANNA'), locale: 'en-US' }, slack.localeOf);
    expect(clicked.storedLocale).toBe('en');
    expect(await storedLocaleOf('U0ANNA')).toBe('en');
    expect(slack.calls()).toBe(1);
  });

  it('stores nothing for a person first seen with a locale the bot does not speak', async () => {
    const created = await world.services.people.resolveWithLocale({ ...command('U0KO'), locale: 'ko-KR' });
    expect(created.storedLocale).toBeNull();
    expect(await storedLocaleOf('U0KO')).toBeNull();
  });

  it('stores nothing when the platform gives no locale or one the bot does not speak', async () => {
    for (const [userId, given] of [['U0NONE', undefined], ['U0JA', 'ja-JP']] as const) {
      const slack = lookup(given);
      expect((await world.services.people.resolveWithLocale(command(userId), slack.localeOf)).storedLocale).toBeNull();
      expect(await storedLocaleOf(userId)).toBeNull();
      expect(slack.calls()).toBe(1);
    }
    const rows = await world.store.manager.find(Person);
    expect(rows.map((p) => p.locale)).toEqual([null, null]);
  });
});
