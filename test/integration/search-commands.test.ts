import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { SYSTEM } from '../../src/people/actor.js';
import { appendEvent } from '../../src/records/timeline.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';
import { replyText, testRuntime } from '../helpers/runtime.js';

describe('search commands', () => {
  let world: TestWorld;
  let bot: ReturnType<typeof testRuntime>;

  beforeEach(async () => {
    world = await openTestWorld();
    bot = testRuntime(world);
    const ann = await world.actor('ann');
    for (let i = 1; i <= 12; i++) {
      await world.services.faults.report(ann, { title: `Printer ${i} jams`, description: 'paper', category: 'hardware', impact: 3, urgency: 3 });
      world.clock.advance(60_000);
    }
    // The requester is the person behind UANN, who searches below (a request is seen by its requester).
    const uann = await world.services.people.resolve({ platform: 'slack', userId: 'UANN', displayName: 'uann' });
    await world.services.requests.submit(uann, { title: 'New printer toner', requestType: 'hardware', importance: 3, urgency: 3 });
  });
  afterEach(async () => world.store.close());

  it('answers /fault search with ten rows and a More button that pages on', async () => {
    const first = await bot.command('UANN', '/fault', 'search printer');
    const text = replyText(first);
    expect(text).toContain('Faults matching “printer”');
    expect(text).toContain('INC-12 · P4 · Reported');
    expect(text).not.toContain('REQ-1');
    expect(text).toContain('Results 1-10');
    if (first.type !== 'private') throw new Error('expected a private reply');
    const more = first.message.buttons?.[0];
    expect(more).toEqual({ actionId: 'search.more', value: 'fault|10|printer', label: 'More results' });
    const second = await bot.click('UANN', 'search.more', more?.value ?? '');
    expect(replyText(second)).toContain('INC-1 · P4');
    expect(replyText(second)).toContain('Results 11-12');
    if (second.type !== 'private') throw new Error('expected a private reply');
    expect(second.message.buttons).toBeUndefined();
  });

  it('searches every kind with /ops search, and refuses a forged More value', async () => {
    const text = replyText(await bot.command('UANN', '/ops', 'search toner'));
    expect(text).toContain('REQ-1 · P4');
    expect(replyText(await bot.command('UANN', '/request', 'search jams'))).toContain('Nothing found');
    expect(replyText(await bot.click('UANN', 'search.more', 'everything|x|'))).toBe(translator('en')('core.error.unknownAction'));
  });

  it("does not show an employee another employee's request, by title or by details", async () => {
    const uann = await world.services.people.resolve({ platform: 'slack', userId: 'UANN', displayName: 'uann' });
    await world.services.requests.submit(uann, { title: 'Salary advance form', details: 'confidential divorce papers', requestType: 'other', importance: 3, urgency: 3 });
    expect(replyText(await bot.command('UBOB', '/request', 'show REQ-2'))).toContain('is not your request');
    for (const [command, text] of [['/ops', 'search salary'], ['/request', 'search salary'], ['/ops', 'search divorce'], ['/request', 'search toner']] as const) {
      const reply = replyText(await bot.command('UBOB', command, text));
      expect(reply).toContain('Nothing found');
      expect(reply).not.toContain('REQ-');
    }
    expect(replyText(await bot.command('UANN', '/request', 'search divorce'))).toContain('REQ-2');
    expect(replyText(await bot.click('UBOB', 'search.more', 'all|0|salary'))).not.toContain('REQ-2');
  });

  it('finds a fault by a timeline note with /ops search as soon as the note is written', async () => {
    expect(replyText(await bot.command('UANN', '/ops', 'search 定影器'))).toContain('Nothing found');
    await world.store.transaction((m) =>
      appendEvent(m, { recordKind: 'fault', recordId: 3, actor: SYSTEM, kind: 'alert_firing', fromState: null, toState: null, note: '更换定影器 (fuser unit)', at: world.clock.now() }),
    );
    const text = replyText(await bot.command('UANN', '/ops', 'search 定影器'));
    expect(text).toContain('INC-3 · P4');
    expect(text).not.toContain('INC-4');
    expect(replyText(await bot.command('UANN', '/fault', 'search fuser'))).toContain('INC-3 · P4');
  });

  it('states the length limit when the search text is too long, in English and Chinese; 200 characters are searched', async () => {
    const long = 'printer '.repeat(30).trim();
    expect([...long].length).toBe(239);
    expect(replyText(await bot.command('UANN', '/fault', `search ${long}`))).toBe('TEXT takes at most 200 characters; this one has 239. Write it like this: /fault search <TEXT>');
    const zh = translator('zh-CN')('core.error.optionTooLong', { option: 'TEXT', max: 200, length: 239, usage: '/fault search <TEXT>' });
    expect(zh).toBe('TEXT 最多 200 个字符，当前有 239 个。请这样写：/fault search <TEXT>');
    expect(replyText(await bot.command('UANN', '/fault', `search ${'x'.repeat(200)}`))).toContain('Nothing found.');
  });
});
