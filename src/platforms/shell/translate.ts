import type { TranslateParams } from '../../chat/i18n/catalog.js';
import type { en } from './messages.js';

export type ShellMessageKey = keyof typeof en;

/** The part of the catalog translator the shell uses: only its own `shell.` keys. */
export type ShellTranslate = (key: ShellMessageKey, params?: TranslateParams) => string;
