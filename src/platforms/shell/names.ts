import { typedName } from '../../chat/parse-text.js';

/** A person in the shell: the id events carry (lower case) and the name as typed. */
export interface ShellUser {
  id: string;
  displayName: string;
}

/** Reads a person's name as typed (`li.wei`, `@Li.Wei`; the rule of typedName); undefined when it is not a usable name. */
export function parseUserName(raw: string): ShellUser | undefined {
  const displayName = typedName(raw);
  return displayName === undefined ? undefined : { id: displayName.toLowerCase(), displayName };
}
