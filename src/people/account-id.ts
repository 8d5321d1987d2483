// What an account id looks like on each platform, for people named as `platform:id` in text (a
// configuration item's owner in a form, a CSV line or POST /api/cis).
import { typedName } from '../chat/parse-text.js';
import type { Platform } from '../chat/model.js';

/** Slack member ids: `U…`, or `W…` on Enterprise Grid (PLATFORM-FACTS.md, "member ids"), upper case. */
const SLACK_MEMBER = /^[UW][A-Z0-9]{1,63}$/;
/** Discord user ids are snowflakes: 17 to 20 digits (the same rule as the Discord ids in src/config.ts). */
const SNOWFLAKE = /^\d{17,20}$/;

/**
 * The id as the platform's own events carry it, or undefined when `raw` cannot be an account there, so
 * that no person is created for `shell:-cmd` or `slack:hello`. Shell ids follow typedName (the rule of
 * `/as NAME` and of names in commands) and are kept in lower case, as the shell's events carry them.
 */
export function accountId(platform: Platform, raw: string): string | undefined {
  switch (platform) {
    case 'slack':
      return SLACK_MEMBER.test(raw) ? raw : undefined;
    case 'discord':
      return SNOWFLAKE.test(raw) ? raw : undefined;
    case 'shell':
      return typedName(raw)?.toLowerCase();
  }
}
