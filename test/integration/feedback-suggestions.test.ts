import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { BUTTONS, FORMS } from '../../src/capabilities.js';
import type { ChatActor, ChatMessage, ChatReply } from '../../src/chat/model.js';
import { ChatRuntime } from '../../src/chat/runtime.js';
import { ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { Metrics } from '../../src/http/metrics.js';
import { createLogger } from '../../src/logger.js';
import { AuditEntry, FeedbackSuggestion, FeedbackSurvey, OutboxMessage } from '../../src/store/entities/index.js';
import { openTestWorld, type TestWorld } from '../helpers/db.js';

const DAY = 86_400_000;
const payload = (row: OutboxMessage | undefined): ChatMessage => JSON.parse(row?.payload ?? '{}') as ChatMessage;
const text = (reply: ChatReply): string => (reply.type === 'private' ? reply.message.body ?? '' : reply.type);

describe('suggestions and the feedback summary', () => {
  let world: TestWorld;
  let runtime: ChatRuntime;
  const chat = (name: string): ChatActor => ({ platform: 'shell', userId: name, displayName: name });

  beforeEach(async () => {
    world = await openTestWorld();
    const admin = await world.actor('admin');
    await world.services.people.grant(admin, { platform: 'shell', userId: 'li.wei' }, 'engineer');
    runtime = new ChatRuntime({
      services: world.services,
      commands: COMMANDS,
      buttons: BUTTONS,
      forms: FORMS,
      defaultLocale: 'en',
      clock: world.clock,
      timeZone: 'Europe/Berlin',
      logger: createLogger('silent'),
      metrics: new Metrics(),
    });
  });
  afterEach(async () => world.store.close());

  it('opens the suggestion form from /feedback and posts named suggestions with a Reply button to the IT channel', async () => {
    const opened = await runtime.handle({ type: 'command', actor: chat('anna'), command: '/feedback', text: '' });
    expect(opened.type === 'form' ? opened.form.fields.map((f) => [f.id, f.kind, f.initial]) : opened).toEqual([
      ['topic', 'select', 'other'],
      ['text', 'textarea', undefined],
      ['anonymous', 'select', 'no'],
    ]);
    const send = await runtime.handle({ type: 'command', actor: chat('anna'), command: '/feedback', text: 'send' });
    expect(send.type).toBe('form');

    const bad = await runtime.handle({ type: 'formSubmit', actor: chat('anna'), formId: 'feedback.suggest', context: '', values: { topic: 'weather', text: ' ', anonymous: 'no' } });
    expect(bad).toEqual({ type: 'fieldErrors', errors: { topic: 'Pick one of the offered choices.', text: 'This field is required.' }, locale: 'en' });
    expect(await world.store.manager.count(FeedbackSuggestion)).toBe(0);

    const sent = await runtime.handle({
      type: 'formSubmit',
      actor: chat('anna'),
      formId: 'feedback.suggest',
      context: '',
      values: { topic: 'software', text: 'Please install the PDF editor on every laptop.', anonymous: 'no' },
    });
    expect(text(sent)).toBe('Thank you! Your suggestion FB-1 went to the IT department; their answer will come as a direct message.');
    // No it_channel yet: the fault channel stands in for the IT department's.
    const [card] = await world.store.manager.find(OutboxMessage, { where: { messageKey: 'suggestion:1' } });
    expect([card?.platform, card?.targetId]).toEqual(['slack', 'CFAULTS']);
    const message = payload(card);
    expect(message.title).toBe('💡 FB-1 · Software');
    expect(message.body).toBe('Please install the PDF editor on every laptop.');
    expect(message.context?.[0]).toMatch(/^From anna at 2026-11-23 10:00$/);
    expect(message.buttons?.map((b) => [b.actionId, b.value])).toEqual([['feedback.reply', 'FB-1']]);
  });

  it('keeps anonymous suggestions without author, in the audit log too, and refuses to reply to them', async () => {
    const admin = await world.actor('admin');
    await world.services.settings.set(admin, 'it_channel', 'slack:CITDEPT');
    const anna = await world.actor('anna');
    const { suggestion, posted } = await world.services.feedback.suggestions.submit(anna, { topic: 'process', text: 'Change approvals take too long.', anonymous: true });
    expect(posted).toBe(true);
    const stored = await world.store.manager.findOneByOrFail(FeedbackSuggestion, { id: suggestion.id });
    expect([stored.authorId, stored.platform]).toEqual([null, null]);
    const [audit] = await world.store.manager.find(AuditEntry, { where: { action: 'feedback.suggestion.submitted' } });
    expect([audit?.actorId, audit?.actorLabel]).toEqual([null, 'anonymous']);
    const [card] = await world.store.manager.find(OutboxMessage, { where: { messageKey: `suggestion:${suggestion.id}` } });
    expect(card?.targetId).toBe('CITDEPT');
    expect(payload(card).buttons).toEqual([]);
    expect(JSON.stringify(payload(card))).not.toContain('anna');
    const liWei = await world.actor('li.wei');
    await expect(world.services.feedback.suggestions.reply(liWei, suggestion.id, 'Thanks')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('lets engineers answer a named suggestion: the author gets a DM and the card shows the answer', async () => {
    const anna = await world.actor('anna');
    const bob = await world.actor('bob');
    const liWei = await world.actor('li.wei');
    const { suggestion } = await world.services.feedback.suggestions.submit(anna, { topic: 'hardware', text: 'Second monitors for the support desk?', anonymous: false });

    const refused = await runtime.handle({ type: 'button', actor: chat('bob'), actionId: 'feedback.reply', value: 'FB-1' });
    expect(text(refused)).toContain('Only engineers can answer suggestions');
    await expect(world.services.feedback.suggestions.reply(bob, suggestion.id, 'Sure')).rejects.toBeInstanceOf(ForbiddenError);
    const form = await runtime.handle({ type: 'button', actor: chat('li.wei'), actionId: 'feedback.reply', value: 'FB-1' });
    expect(form.type === 'form' ? [form.form.formId, form.form.context, form.form.title] : form).toEqual(['feedback.reply', 'FB-1', 'Answer FB-1']);
    const answered = await runtime.handle({ type: 'formSubmit', actor: chat('li.wei'), formId: 'feedback.reply', context: 'FB-1', values: { reply: 'Ordered, they arrive next week.' } });
    expect(text(answered)).toBe('Your answer to FB-1 was sent to its author.');

    const dms = await world.store.manager.find(OutboxMessage, { where: { targetKind: 'dm', targetId: 'anna' } });
    expect(dms).toHaveLength(1);
    const dm = payload(dms[0]);
    expect(dm.body).toBe('@li.wei answered your suggestion FB-1:');
    expect(dm.fields).toEqual([
      { label: 'Your suggestion', value: 'Second monitors for the support desk?' },
      { label: 'Answer', value: 'Ordered, they arrive next week.' },
    ]);
    const cards = await world.store.manager.find(OutboxMessage, { where: { messageKey: 'suggestion:1' }, order: { id: 'ASC' } });
    expect(cards).toHaveLength(2);
    expect(payload(cards[1]).context?.[1]).toMatch(/^Answered by <@li\.wei>|^Answered by li\.wei/);
    const stored = await world.store.manager.findOneByOrFail(FeedbackSuggestion, { id: 1 });
    expect([stored.reply, stored.repliedBy]).toEqual(['Ordered, they arrive next week.', liWei.personId]);
  });

  it('summarises satisfaction with its trend, polls, the lowest ratings and suggestions by topic', async () => {
    const { services, clock } = world;
    const admin = await world.actor('admin');
    const anna = await world.actor('anna');
    const liWei = await world.actor('li.wei');
    await services.settings.set(admin, 'feedback_channel', 'slack:CFEEDBACK');
    await services.settings.set(admin, 'it_channel', 'slack:CITDEPT');
    const resolveAndRate = async (title: string, rating?: 1 | 2 | 3 | 4 | 5, comment?: string) => {
      const fault = await services.faults.report(anna, { title, description: 'x', category: 'software', impact: 2, urgency: 2 });
      await services.faults.resolve(liWei, fault.id, { rootCause: 'x', resolutionSteps: 'y' });
      const survey = await world.store.manager.findOneByOrFail(FeedbackSurvey, { recordId: fault.id });
      if (rating) await services.feedback.surveys.rate(anna, survey.id, rating);
      if (comment) await services.feedback.surveys.comment(anna, survey.id, comment);
    };

    await resolveAndRate('Old printer', 2);
    clock.advance(30 * DAY);
    await resolveAndRate('Mail down', 5);
    await resolveAndRate('VPN slow', 1, 'Nobody called back for two days.');
    await resolveAndRate('New laptop', 4);
    await resolveAndRate('Wi-Fi on floor 2');
    const poll = await services.feedback.polls.post(admin);
    for (const [name, choice] of [['p1', 4], ['p2', 5], ['p3', 3]] as const) await services.feedback.polls.vote(await world.actor(name), poll.id, choice);
    clock.advance(3 * DAY);
    await services.feedback.polls.closeDue(clock.now());
    await services.feedback.suggestions.submit(anna, { topic: 'software', text: 'a', anonymous: true });
    await services.feedback.suggestions.submit(anna, { topic: 'software', text: 'b', anonymous: false });
    await services.feedback.suggestions.submit(anna, { topic: 'network', text: 'c', anonymous: false });
    clock.advance(60_000);

    await expect(services.feedback.summaries.forPeriod(anna, 'month')).rejects.toBeInstanceOf(ForbiddenError);
    const summary = await services.feedback.summaries.forPeriod(liWei, 'month');
    expect(summary.surveys.sent).toBe(4);
    expect(summary.surveys.result.total).toBe(3);
    expect(summary.surveys.result.average).toBeCloseTo(10 / 3);
    expect(summary.previousSurveys.result.average).toBe(2);
    expect(summary.lowest).toEqual([{ record: 'INC-3', title: 'VPN slow', rating: 1, comment: 'Nobody called back for two days.' }]);
    expect(summary.topics).toEqual([
      { topic: 'software', count: 2 },
      { topic: 'network', count: 1 },
    ]);
    expect(summary.polls.map((p) => [p.question, p.result.total, p.result.average])).toEqual([['How satisfied were you with IT services this week?', 3, 4]]);

    const reply = await runtime.handle({ type: 'command', actor: chat('li.wei'), command: '/feedback', text: 'summary month' });
    if (reply.type !== 'private') throw new Error(`expected a private reply, got ${reply.type}`);
    expect(reply.message.fields).toEqual([
      { label: 'Satisfaction (CSAT)', value: '3.3 / 5  ▲ 1.3' },
      { label: 'Satisfied (4-5)', value: '67%  ▲ 67%' },
      { label: 'Ratings', value: '3 of 4 surveys answered' },
      { label: 'Polls', value: '1 closed, 3 votes' },
      { label: 'Suggestions', value: '3' },
    ]);
    expect(reply.message.body).toContain('• INC-3 VPN slow: 😞 1\n    “Nobody called back for two days.”');
    expect(reply.message.body).toContain('• Software: 2\n• Network: 1');
    expect(text(await runtime.handle({ type: 'command', actor: chat('anna'), command: '/feedback', text: 'summary' }))).toContain('/feedback summary needs the engineer role');

    // The monthly job on 1 January: December (Berlin) against November.
    clock.set(new Date('2027-01-01T08:00:00Z'));
    expect(await services.feedback.summaries.postMonthly(clock.now())).toBe(true);
    const posted = (await world.store.manager.find(OutboxMessage, { where: { targetId: 'CITDEPT' }, order: { id: 'ASC' } })).at(-1);
    const monthly = payload(posted);
    expect(monthly.title).toBe('📊 Feedback summary 2026-12-01 – 2026-12-31');
    expect(monthly.fields?.[0]).toEqual({ label: 'Satisfaction (CSAT)', value: '3.3 / 5  ▲ 1.3' });
    expect(monthly.context).toEqual(['Trend against 2026-11-01 – 2026-11-30.']);
  });
});
