// custom_id is all Discord gives back when someone clicks, picks or submits, so it carries the route:
//   `a|<actionId>|<value>`          a chat-model button (`a|fault.ack|INC-4`); a repeat of the same
//                                   action and value in one message becomes `a~2|...` (ids must be unique)
//   `f|<draft>|<step>|<part>`       a step of a form (see forms.ts): a select's field id, `next`,
//                                   `open`, `edit` or `modal`
import { DISCORD_LIMITS } from './limits.js';

export type CustomIdRoute =
  | { kind: 'button'; actionId: string; value: string }
  | { kind: 'form'; draft: string; step: number; part: string }
  | { kind: 'unknown' };

const BUTTON_PREFIX = /^a(?:~\d+)?$/;

/** Hands out message-unique custom_ids for chat buttons; undefined when one cannot fit in 100 characters. */
export function buttonCustomIds(): (actionId: string, value: string) => string | undefined {
  const seen = new Map<string, number>();
  return (actionId, value) => {
    const base = `${actionId}|${value}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    const id = `${count === 1 ? 'a' : `a~${count}`}|${base}`;
    return actionId.length > 0 && !actionId.includes('|') && id.length <= DISCORD_LIMITS.customId ? id : undefined;
  };
}

export function formCustomId(draft: string, step: number, part: string): string {
  return `f|${draft}|${step}|${part}`;
}

export function parseCustomId(customId: string): CustomIdRoute {
  const [prefix, ...rest] = customId.split('|');
  if (prefix && BUTTON_PREFIX.test(prefix) && rest.length >= 2) {
    const [actionId = '', ...value] = rest;
    return actionId ? { kind: 'button', actionId, value: value.join('|') } : { kind: 'unknown' };
  }
  if (prefix === 'f' && rest.length === 3) {
    const [draft = '', step = '', part = ''] = rest;
    if (/^[A-Za-z0-9_-]{8,40}$/.test(draft) && /^\d{1,2}$/.test(step) && part) return { kind: 'form', draft, step: Number(step), part };
  }
  return { kind: 'unknown' };
}
