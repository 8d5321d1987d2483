import { SEARCH_PAGE_SIZE, type SearchHit, type SearchPage } from './service.js';
import type { SearchKind } from './documents.js';
import { stateLabel as changeStateLabel } from '../changes/cards.js';
import { formatChangeId, type ChangeRisk, type ChangeState } from '../changes/rules.js';
import { formatAge, truncate } from '../chat/format.js';
import type { Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage } from '../chat/model.js';
import { stateLabel as faultStateLabel } from '../faults/cards.js';
import { formatFaultId, type FaultState } from '../faults/rules.js';
import { requestStateLabel } from '../requests/cards.js';
import { formatRequestId, type RequestState } from '../requests/rules.js';

export const SEARCH_SCOPES = ['all', 'fault', 'request', 'change'] as const;
export type SearchScope = (typeof SEARCH_SCOPES)[number];

export const MORE_ACTION = 'search.more';
/** Longer searches get no "more" button: Discord's custom_id (100 characters) must hold the whole query. */
export const MORE_TEXT_MAX = 60;

export function scopeKinds(scope: SearchScope): SearchKind[] {
  return scope === 'all' ? ['fault', 'request', 'change'] : [scope];
}

/** `all|10|printer`: what the "more" button carries. */
export function moreValue(scope: SearchScope, offset: number, text: string): string {
  return `${scope}|${offset}|${text}`;
}

export function parseMoreValue(value: string): { scope: SearchScope; offset: number; text: string } | undefined {
  const match = /^(all|fault|request|change)\|(\d{1,6})\|(.{1,200})$/su.exec(value);
  if (!match) return undefined;
  return { scope: match[1] as SearchScope, offset: Number(match[2]), text: match[3] ?? '' };
}

function row(hit: SearchHit, now: Date, t: Translate): string {
  const age = formatAge(hit.createdAt, now, t);
  const title = truncate(hit.title, 80);
  switch (hit.kind) {
    case 'fault':
      return t('search.row', { id: formatFaultId(hit.id), rank: hit.rank, state: faultStateLabel(hit.state as FaultState, t), age, title });
    case 'request':
      return t('search.row', { id: formatRequestId(hit.id), rank: hit.rank, state: requestStateLabel(hit.state as RequestState, t), age, title });
    case 'change':
      return t('search.row', { id: formatChangeId(hit.id), rank: t(`changes.risk.${hit.rank as ChangeRisk}`), state: changeStateLabel(hit.state as ChangeState, t), age, title });
  }
}

/** Ten results, ranked, with a "More results" button when there are more. */
export function searchMessage(page: SearchPage, scope: SearchScope, text: string, now: Date, t: Translate): ChatMessage {
  const title = t(`search.title.${scope}`, { text: truncate(text, 80) });
  if (page.hits.length === 0) {
    const body = t(page.offset > 0 ? 'search.noMore' : 'search.empty');
    return { fallback: body, title, body };
  }
  const lines = page.hits.map((hit) => row(hit, now, t));
  const from = page.offset + 1;
  const context = [t('search.range', { from, to: page.offset + page.hits.length })];
  const canPage = page.more && [...text].length <= MORE_TEXT_MAX;
  if (page.more && !canPage) context.push(t('search.narrow'));
  return {
    fallback: lines.join('\n'),
    title,
    body: lines.join('\n'),
    context,
    ...(canPage ? { buttons: [{ actionId: MORE_ACTION, value: moreValue(scope, page.offset + SEARCH_PAGE_SIZE, text), label: t('search.more') }] } : {}),
  };
}
