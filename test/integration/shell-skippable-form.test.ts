import { afterEach, describe, expect, it } from 'vitest';
import { translator, type Locale } from '../../src/chat/i18n/catalog.js';
import { commentForm } from '../../src/feedback/forms.js';
import { FeedbackSurvey } from '../../src/store/entities/index.js';
import { harness, stopShells, type Script } from '../helpers/shell-harness.js';

afterEach(stopShells);

// The comment asked after a survey rating: a skippable form (ChatForm.skippable).
describe('shell adapter: the comment asked after a survey rating', () => {
  const survey = Object.assign(new FeedbackSurvey(), { id: 4, recordType: 'fault', recordId: 7, rating: 4, comment: null });
  // A click on a rating answers with the comment form, as feedback.rate does on a first rating.
  const commentAfter = (rated: FeedbackSurvey, locale: Locale = 'en'): Script => (event) =>
    event.type === 'command' && event.command === 'rate' ? { type: 'form', form: commentForm(translator(locale), rated) } : { type: 'done' };
  const rating = commentAfter(survey);

  it('says the step is optional, and a command typed next runs instead of becoming the comment', async () => {
    const shell = harness(rating);
    const out = await shell.run('/rate', '/fault list', 'Quick fix, thanks');
    expect(out).toContain('This step is optional: answer and press Enter, or press Enter alone to skip it.');
    expect(out).toContain('Comment skipped; your rating is saved.');
    expect(shell.events.map((e) => e.type)).toEqual(['command', 'command']);
    expect(shell.events[1]).toMatchObject({ type: 'command', command: 'fault', text: 'list' });
    expect(out).toContain('Commands start with / (try /help)');
  });

  it('is skipped by Enter alone, and still takes a typed comment', async () => {
    const skipped = harness(rating);
    await skipped.run('/rate', '', '/ops help');
    expect(skipped.events.map((e) => e.type)).toEqual(['command', 'command']);
    const answered = harness(rating);
    await answered.run('/rate', 'Quick fix, thanks');
    expect(answered.events[1]).toMatchObject({ type: 'formSubmit', formId: 'feedback.comment', context: '4', values: { comment: 'Quick fix, thanks' } });
  });

  // The rating is saved before the comment is asked: /cancel must not say "nothing was saved".
  it('answers /cancel with what stays saved, and submits nothing', async () => {
    const shell = harness(rating);
    const out = await shell.run('/rate', '/cancel');
    expect(out).toContain('Comment skipped; your rating is saved.');
    expect(out).not.toContain('nothing was saved');
    expect(shell.events.map((e) => e.type)).toEqual(['command']);

    const zh = harness(commentAfter(survey, 'zh-CN'), { locale: 'zh-CN' });
    const zhOut = await zh.run('/rate', '/cancel');
    expect(zhOut).toContain('已跳过意见，您的评分已保存。');
    expect(zhOut).not.toContain('未保存任何内容');
  });

  it('names only what is really saved: no rating yet, or an earlier comment kept', async () => {
    const unrated = Object.assign(new FeedbackSurvey(), { ...survey, rating: null });
    const out = await harness(commentAfter(unrated)).run('/rate', '/cancel');
    expect(out).toContain('Comment skipped; nothing was changed.');
    expect(out).not.toContain('rating');

    const commented = Object.assign(new FeedbackSurvey(), { ...survey, comment: 'Slow at first' });
    const kept = await harness(commentAfter(commented)).run('/rate', '/cancel');
    expect(kept).toContain('Comment left as it was; your rating and earlier comment are saved.');
  });

  it('still answers /cancel in an ordinary form with "nothing was saved"', async () => {
    const form: Script = (event) =>
      event.type === 'command' ? { type: 'form', form: { ...commentForm(translator('en'), survey), skippable: false } } : { type: 'done' };
    const out = await harness(form).run('/rate', '/cancel');
    expect(out).toContain('Form cancelled; nothing was saved.');
  });

  it('does not say "nothing was saved" when a rejected comment cannot be corrected here', async () => {
    const rejected: Script = (event) =>
      event.type === 'formSubmit' ? { type: 'fieldErrors', errors: { survey: 'This survey is closed.' } } : rating(event, 0);
    const out = await harness(rejected).run('/rate', 'Quick fix, thanks');
    expect(out).toContain('This survey is closed.');
    expect(out).toContain('Comment skipped; your rating is saved.');
    expect(out).not.toContain('nothing was saved');
  });
});
