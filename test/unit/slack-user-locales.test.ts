// The Slack locale lookup for slash commands (src/platforms/slack/user-locales.ts): one users.info per
// account per process, whatever the answer, in bounded memory, never rejecting; and users.info itself
// against the fake Slack, which gives the locale only when asked with include_locale, as Slack does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchLocale } from '../../src/chat/i18n/catalog.js';
import { createLogger } from '../../src/logger.js';
import { LOCALE_LOOKUP_TIMEOUT_MS, SlackUserLocales, slackUsersInfo, type UsersInfo } from '../../src/platforms/slack/user-locales.js';
import { FakeSlackServer } from '../fakes/slack/index.js';

const logger = createLogger('silent');

/** A users.info stand-in that counts calls per account and answers from `locales` (an Error: rejects). */
function counting(locales: Record<string, string | Error | undefined>): { usersInfo: UsersInfo; calls: string[] } {
  const calls: string[] = [];
  const usersInfo: UsersInfo = async (userId) => {
    calls.push(userId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const answer = locales[userId];
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { usersInfo, calls };
}

describe('SlackUserLocales', () => {
  it('asks once per account, whether Slack gave a locale, none, or an error, and never rejects', async () => {
    const { usersInfo, calls } = counting({ U1: 'zh-CN', U2: undefined, U3: new Error('user_not_found') });
    const locales = new SlackUserLocales(usersInfo, logger);
    for (let round = 0; round < 3; round++) {
      expect(await locales.localeOf('U1')).toBe('zh-CN');
      expect(await locales.localeOf('U2')).toBeUndefined();
      expect(await locales.localeOf('U3')).toBeUndefined();
    }
    expect(calls).toEqual(['U1', 'U2', 'U3']);
  });

  it('shares one call between two requests of the same account at once', async () => {
    const { usersInfo, calls } = counting({ U1: 'en-US' });
    const locales = new SlackUserLocales(usersInfo, logger);
    expect(await Promise.all([locales.localeOf('U1'), locales.localeOf('U1')])).toEqual(['en-US', 'en-US']);
    expect(calls).toEqual(['U1']);
  });

  it('remembers at most `cap` accounts, forgetting the least recently asked first', async () => {
    const { usersInfo, calls } = counting({ U1: 'zh-CN', U2: 'zh-CN', U3: 'zh-CN' });
    const locales = new SlackUserLocales(usersInfo, logger, 2);
    await locales.localeOf('U1');
    await locales.localeOf('U2');
    // U1 asked again: U2 is now the least recent, and goes when U3 comes.
    await locales.localeOf('U1');
    await locales.localeOf('U3');
    await locales.localeOf('U1');
    await locales.localeOf('U2');
    expect(calls).toEqual(['U1', 'U2', 'U3', 'U2']);
  });
});

describe('SlackUserLocales under load and slowness (QA)', () => {
  /** A users.info whose answers the test releases by hand, counting calls. */
  function manual(): { usersInfo: UsersInfo; calls: string[]; answer: (userId: string, locale: string | undefined) => void } {
    const calls: string[] = [];
    const waiting = new Map<string, (locale: string | undefined) => void>();
    const usersInfo: UsersInfo = (userId) => {
      calls.push(userId);
      return new Promise((resolve) => waiting.set(userId, resolve));
    };
    return { usersInfo, calls, answer: (userId, locale) => waiting.get(userId)?.(locale) };
  }

  it('waits at most its timeout from the moment it is asked, and a late answer serves the next request', async () => {
    const { usersInfo, calls, answer } = manual();
    const locales = new SlackUserLocales(usersInfo, logger, 100, 50);
    const started = performance.now();
    expect(await locales.localeOf('U1')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(45 + 200);
    answer('U1', 'zh-CN');
    expect(await locales.localeOf('U1')).toBe('zh-CN');
    expect(calls).toEqual(['U1']);
  });

  it('starts no lookup past its in-flight limit: that request goes on at once, and the person is asked later', async () => {
    const { usersInfo, calls, answer } = manual();
    const locales = new SlackUserLocales(usersInfo, logger, 100, 60_000, 2);
    const first = locales.localeOf('U1');
    const second = locales.localeOf('U2');
    const started = performance.now();
    expect(await locales.localeOf('U3')).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
    expect(calls).toEqual(['U1', 'U2']);
    answer('U1', 'zh-CN');
    answer('U2', 'en-US');
    expect(await Promise.all([first, second])).toEqual(['zh-CN', 'en-US']);
    // U3 was not remembered as asked: with room again, it is asked now.
    const third = locales.localeOf('U3');
    answer('U3', 'zh-CN');
    expect(await third).toBe('zh-CN');
    expect(calls).toEqual(['U1', 'U2', 'U3']);
  });
});

describe('slackUsersInfo with an answer that is not a locale', () => {
  let server: Server;
  let locale: unknown;
  let apiUrl: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, user: { id: 'U1', locale } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('gives undefined for a number, a boolean, a list, an object, an empty or an overlong string', async () => {
    const usersInfo = slackUsersInfo('xoxb-test', apiUrl, logger);
    for (const odd of [42, true, ['zh-CN'], { tag: 'zh-CN' }, '', `zh-${'x'.repeat(100)}`]) {
      locale = odd;
      expect(await usersInfo('U1')).toBeUndefined();
    }
    locale = 'zh-Hant-TW';
    expect(await usersInfo('U1')).toBe('zh-Hant-TW');
  });
});

describe('matchLocale', () => {
  it('maps by the language subtag: every Chinese variant to zh-CN, English ones to en, nothing else', () => {
    for (const tag of ['zh-CN', 'zh_CN', 'zh-TW', 'zh-Hans', 'zh', 'ZH-cn', ' zh-CN ']) expect(matchLocale(tag)).toBe('zh-CN');
    for (const tag of ['en', 'en-US', 'EN-us', 'en_GB']) expect(matchLocale(tag)).toBe('en');
    for (const tag of ['zha', 'english', 'fr-FR', 'ja-JP', '', '<b>zh</b>', `zh${'x'.repeat(498)}`, null, undefined]) expect(matchLocale(tag)).toBeUndefined();
  });
});

describe('slackUsersInfo against the fake Slack', () => {
  let fake: FakeSlackServer;
  beforeAll(async () => {
    fake = await FakeSlackServer.start();
    fake.addUser({ id: 'U0MEI', name: 'mei', locale: 'zh-CN' });
  });
  afterAll(async () => fake.stop());

  it('asks with include_locale, which the fake (like Slack) needs to give the locale', async () => {
    expect(await slackUsersInfo(fake.botToken, fake.apiUrl, logger)('U0MEI')).toBe('zh-CN');
    const asked = await fetch(`${fake.apiUrl}users.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'U0MEI' }).toString(),
    });
    const answer = (await asked.json()) as { ok: boolean; user?: Record<string, unknown> };
    expect(answer.ok).toBe(true);
    expect(answer.user).not.toHaveProperty('locale');
  });

  it('gives up after LOCALE_LOOKUP_TIMEOUT_MS on a slow Slack, and rejects with Slack errors', async () => {
    const usersInfo = slackUsersInfo(fake.botToken, fake.apiUrl, logger);
    fake.delayNext('users.info', LOCALE_LOOKUP_TIMEOUT_MS + 500);
    const started = Date.now();
    await expect(usersInfo('U0MEI')).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(LOCALE_LOOKUP_TIMEOUT_MS + 400);
    await expect(usersInfo('U0NOBODY')).rejects.toThrow(/user_not_found/);
    // The slow call is answered by the fake after the client gave up; wait for it before the fake stops.
    await fake.waitFor(() => (fake.callsTo('users.info').length >= 4 ? true : undefined), 3_000);
  });
});
