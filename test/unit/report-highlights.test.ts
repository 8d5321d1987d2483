import { describe, expect, it } from 'vitest';
import { translator } from '../../src/chat/i18n/catalog.js';
import { operationsReport } from '../../src/reports/operations.js';
import type { SurveyAnswer } from '../../src/reports/inputs.js';
import { BUSINESS, PERIOD, at } from '../helpers/kpi-dataset.js';

const answer = (ref: string, rating: number, when: string): SurveyAnswer => ({ recordRef: ref, resolverId: 1, rating, comment: `comment on ${ref}`, ratedAt: at(when) });

function body(surveys: SurveyAnswer[]): string {
  const previous = { from: new Date(PERIOD.from.getTime() - (PERIOD.to.getTime() - PERIOD.from.getTime())), to: PERIOD.from };
  const report = operationsReport(
    { records: [], trendWeeks: [], trend: { opened: [], resolved: [] }, changes: [], surveys },
    { kind: 'weekly', period: PERIOD, periodLabel: 'p', previous, business: BUSINESS, now: PERIOD.to },
    translator('en'),
  );
  return report.message.body ?? '';
}

describe('feedback highlights in the operations report (docs/kpis.md)', () => {
  it('lists only answers rated 1 or 2, lowest first', () => {
    const text = body([answer('INC-1', 5, '2026-12-22T10:00'), answer('INC-2', 2, '2026-12-22T11:00'), answer('INC-3', 4, '2026-12-23T10:00'), answer('INC-4', 1, '2026-12-23T11:00'), answer('INC-5', 3, '2026-12-23T12:00')]);
    expect(text).toContain('Lowest-rated answers (rated 1-2):\n• INC-4 1/5: comment on INC-4\n• INC-2 2/5: comment on INC-2');
    expect(text).not.toMatch(/INC-[135]/);
  });

  it('says so when no answer was rated that low', () => {
    const text = body([answer('INC-1', 5, '2026-12-22T10:00'), answer('INC-3', 4, '2026-12-23T10:00')]);
    expect(text).toContain('No answer with a comment was rated 2 or lower.');
    expect(text).not.toContain('INC-');
  });
});
