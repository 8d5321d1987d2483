import * as core from './core-messages.js';
import * as faults from '../../faults/messages.js';
import * as people from '../../people/messages.js';
import * as settings from '../../settings/messages.js';
import * as slack from '../../platforms/slack/messages.js';
import * as shell from '../../platforms/shell/messages.js';
import * as audit from '../../audit/messages.js';
import * as changeForms from '../../changes/form-messages.js';
import * as changeNotices from '../../changes/notice-messages.js';
import * as changeErrors from '../../changes/error-messages.js';
import * as discord from '../../platforms/discord/messages.js';
import * as peopleLink from '../../people/link-messages.js';
import * as feedback from '../../feedback/messages.js';
import * as sla from '../../sla/messages.js';
import * as oncall from '../../oncall/messages.js';
import * as requests from '../../requests/messages.js';
import * as outbox from '../../outbox/messages.js';
import * as home from '../../home/messages.js';
import * as reports from '../../reports/messages.js';
import * as monitoring from '../../monitoring/messages.js';
import * as cis from '../../cis/messages.js';
import * as search from '../../search/messages.js';
import * as exportsText from '../../exports/messages.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

// Each area keeps its own text beside its code; the compiler checks that every area's zh-CN
// has every key of its en, and test/unit/i18n.test.ts checks the merged catalogs.
const en = { ...core.en, ...faults.en, ...people.en, ...settings.en, ...slack.en, ...shell.en, ...audit.en, ...changeForms.en, ...changeNotices.en, ...changeErrors.en, ...feedback.en, ...discord.en, ...peopleLink.en, ...sla.en, ...oncall.en, ...requests.en, ...outbox.en, ...home.en, ...reports.en, ...cis.en, ...search.en, ...exportsText.en, ...monitoring.en };
export type MessageKey = keyof typeof en;
const zhCN: Record<MessageKey, string> = {
  ...core.zhCN,
  ...faults.zhCN,
  ...people.zhCN,
  ...settings.zhCN,
  ...slack.zhCN,
  ...shell.zhCN,
  ...audit.zhCN,
  ...changeForms.zhCN,
  ...changeNotices.zhCN,
  ...changeErrors.zhCN,
  ...feedback.zhCN,
  ...discord.zhCN,
  ...peopleLink.zhCN,
  ...sla.zhCN,
  ...oncall.zhCN,
  ...requests.zhCN,
  ...outbox.zhCN,
  ...home.zhCN,
  ...reports.zhCN,
  ...monitoring.zhCN,
  ...cis.zhCN,
  ...search.zhCN,
  ...exportsText.zhCN,
};

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/**
 * Maps a platform locale (`zh-CN`, `zh_CN`, `zh-Hans`, `en-US`, `en`) onto a supported one by its
 * language subtag (BCP 47): every Chinese variant to `zh-CN`, the only Chinese catalog (a reader of
 * `zh-TW` reads it more easily than English); `zha` or `english` are not languages we have.
 */
export function matchLocale(platformLocale: string | undefined | null): Locale | undefined {
  if (typeof platformLocale !== 'string') return undefined;
  const language = /^([a-z]{2,3})(?:[-_]|$)/i.exec(platformLocale.trim())?.[1]?.toLowerCase();
  if (language === 'zh') return 'zh-CN';
  if (language === 'en') return 'en';
  return undefined;
}

export function resolveLocale(platformLocale: string | undefined | null, fallback: Locale): Locale {
  return matchLocale(platformLocale) ?? fallback;
}

/** Keys with an English singular form, `${key}One` (in zh-CN, which has no plural forms, the same text). */
export type CountedKey = { [K in MessageKey]: `${K}One` extends MessageKey ? K : never }[MessageKey];

/**
 * The key to write `count` things with: `${key}One` for exactly 1 ("1 vote"), else `key` ("0 votes",
 * "2 votes"). The English rule (CLDR `one` for the integer 1); counts here are whole numbers.
 */
export function countKey(key: CountedKey, count: number): MessageKey {
  return count === 1 ? (`${key}One` as const) : key;
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params?.[name];
      return value === undefined ? whole : String(value);
    });
}
