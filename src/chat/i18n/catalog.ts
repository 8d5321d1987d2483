import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export type { MessageKey };

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type TranslateParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: TranslateParams) => string;

/** Maps a platform locale (`zh-CN`, `zh_CN`, `zh-Hans`, `en-US`) onto a supported one. */
export function matchLocale(platformLocale: string | undefined): Locale | undefined {
  if (!platformLocale) return undefined;
  const lower = platformLocale.toLowerCase().replace('_', '-');
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

export function resolveLocale(platformLocale: string | undefined, fallback: Locale): Locale {
  return matchLocale(platformLocale) ?? fallback;
}

export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params?.[name];
      return value === undefined ? whole : String(value);
    });
}
