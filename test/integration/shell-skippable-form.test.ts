import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { commentForm } from '../../src/feedback/forms.js';
import { FeedbackSurvey } from '../../src/store/entities/index.js';
import { harness, stopShells, type Script } from '../helpers/shell-harness.js';

afterEach(stopShells);

// The comment asked after a survey rating: a skippable form (ChatForm.skippable).
describe('shell adapter: the comment asked after a survey rating', () => {
  const survey = Object.assign(new FeedbackSurvey(), { id: 4, recordType: 'fault', recordId: 7, comment: null });
  // A click on a rating answers with the comment form, as feedback.rate does on a first rating.
  const rating: Script = (event) => (event.type === 'command' && event.command === 'rate' ? { type: 'form', form: commentForm(translator('en'), survey) } : { type: 'done' });

  it('says the step is optional, and a command typed next runs instead of becoming the comment', async () => {
    const shell = harness(rating);
    const out = await shell.run('/rate', '/fault list', 'Quick fix, thanks');
    expect(out).toContain('This step is optional: answer and press Enter, or press Enter alone to skip it.');
    expect(out).toContain('Skipped.');
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
});
