/** A person in the shell: the id events carry (lower case) and the name as typed. */
export interface ShellUser {
  id: string;
  displayName: string;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Reads a person's name as typed (`li.wei`, `@Li.Wei`); undefined when it is not a usable name. */
export function parseUserName(raw: string): ShellUser | undefined {
  const displayName = raw.trim().replace(/^@/, '');
  const id = displayName.toLowerCase();
  return NAME.test(id) ? { id, displayName } : undefined;
}
