import { describe, expect, it } from 'vitest';
import { catalogs, LOCALES, resolveLocale, translator } from '../../src/chat/i18n/catalog.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translation catalogs', () => {
  const enKeys = Object.keys(catalogs.en).sort();

  it.each(LOCALES)('%s has exactly the keys of en, none empty', (locale) => {
    const keys = Object.keys(catalogs[locale]).sort();
    expect(keys).toEqual(enKeys);
    for (const key of keys) expect(catalogs[locale][key as keyof (typeof catalogs)['en']].trim()).not.toBe('');
  });

  it.each(LOCALES)('%s uses the same placeholders as en in every message', (locale) => {
    for (const key of enKeys) {
      const k = key as keyof (typeof catalogs)['en'];
      expect([key, placeholders(catalogs[locale][k])]).toEqual([key, placeholders(catalogs.en[k])]);
    }
  });

  it('lets the platform locale win over the default', () => {
    expect(resolveLocale('zh_CN', 'en')).toBe('zh-CN');
    expect(resolveLocale('en-US', 'zh-CN')).toBe('en');
    expect(resolveLocale(undefined, 'zh-CN')).toBe('zh-CN');
    expect(resolveLocale('fr-FR', 'en')).toBe('en');
  });

  it('fills parameters and uses the policy vocabulary in zh-CN', () => {
    expect(translator('zh-CN')('faults.field.rootCause')).toBe('故障原因');
    expect(translator('en')('faults.error.notFound', { id: 'INC-9' })).toContain('INC-9');
  });

  it('zh-CN report and shell texts use full-width punctuation after Chinese text', () => {
    const zh = catalogs['zh-CN'];
    const ascii = Object.entries(zh).filter(([key, text]) => /^(reports|shell)\./.test(key) && /[\u4e00-\u9fff][:,;?!(]/.test(text));
    expect(ascii).toEqual([]);
    expect(translator('zh-CN')('shell.attachment.saved', { path: 'data/x.png' })).toBe('文件已保存：data/x.png');
  });
});
