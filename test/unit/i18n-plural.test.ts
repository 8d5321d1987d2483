import { describe, expect, it } from 'vitest';
import { catalogs, countKey, translator } from '../../src/chat/i18n/catalog.js';
import { refusalText } from '../../src/cis/views.js';
import { pollSummaryMessage } from '../../src/feedback/cards.js';

// The plural nouns (and verbs) the en catalog puts after a count; "1 votes", "1 were" read wrong.
const PLURALS = ['votes', 'answers', 'entries', 'approvals', 'approval\\(s\\)', 'record\\(s\\)', 'records', 'surveys', 'people', 'faults', 'findings', 'alerts', 'firings', 'cells', 'rows', 'were', 'are'];
const COUNT_BEFORE_PLURAL = new RegExp(`\\{\\w+\\} (?:open )?(?:${PLURALS.join('|')})\\b`);
const ONE_BEFORE_PLURAL = new RegExp(`\\b1 (?:open )?(?:${PLURALS.join('|')})\\b`);

describe('English plurals (countKey)', () => {
  const en: Record<string, string> = catalogs.en;

  it('gives every en message that puts a count before a plural noun a singular form', () => {
    const hasSingular = (key: string) => key.endsWith('One') || en[`${key}One`] !== undefined || (key.endsWith('.other') && en[key.replace(/\.other$/, '.one')] !== undefined);
    // Placeholders there that are no count of 1: a verb ({move} faults) and a fixed limit (MAX_MEMBERS).
    const notCounts = ['faults.error.engineerOnly', 'oncall.error.members'];
    const missing = Object.keys(en).filter((key) => COUNT_BEFORE_PLURAL.test(en[key] ?? '') && !hasSingular(key) && !notCounts.includes(key));
    expect(missing).toEqual([]);
  });

  it('writes each singular form, filled with 1, without a plural noun after the 1', () => {
    const ones = Object.keys(en).filter((key) => key.endsWith('One'));
    expect(ones.length).toBeGreaterThan(20);
    const filled = ones.map((key) => [key, (en[key] ?? '').replace(/\{\w+\}/g, '1')]);
    expect(filled.filter(([, text]) => ONE_BEFORE_PLURAL.test(text ?? ''))).toEqual([]);
  });

  it('picks the singular for exactly 1 and the plural otherwise', () => {
    expect(countKey('feedback.poll.summary', 1)).toBe('feedback.poll.summaryOne');
    expect(countKey('feedback.poll.summary', 0)).toBe('feedback.poll.summary');
    expect(countKey('feedback.poll.summary', 2)).toBe('feedback.poll.summary');
  });

  it('says "1 vote" in a closed poll summary, "2 votes" otherwise, and zh-CN keeps its one form', () => {
    const one = { 1: 0, 2: 0, 3: 0, 4: 1, 5: 0 };
    const two = { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 };
    expect(pollSummaryMessage('Wi-Fi?', one, undefined, translator('en')).body).toContain('"Wi-Fi?": 1 vote, average');
    expect(pollSummaryMessage('Wi-Fi?', two, undefined, translator('en')).body).toContain('"Wi-Fi?": 2 votes, average');
    expect(pollSummaryMessage('Wi-Fi?', one, undefined, translator('zh-CN')).body).toContain('1 票');
  });

  it('says "1 cell" when an import line has a single cell', () => {
    expect(refusalText({ code: 'columns', params: { found: '1', expected: '3' } }, translator('en'))).toBe('the line has 1 cell where the header has 3.');
    expect(refusalText({ code: 'columns', params: { found: '2', expected: '3' } }, translator('en'))).toBe('the line has 2 cells where the header has 3.');
  });
});
