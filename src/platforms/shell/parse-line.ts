/** One line typed at the shell's main prompt, classified. */
export type ShellLine =
  | { kind: 'empty' }
  | { kind: 'help' }
  | { kind: 'whoami' }
  | { kind: 'quit' }
  | { kind: 'cancel' }
  | { kind: 'as'; name: string }
  | { kind: 'click'; n: number }
  | { kind: 'command'; command: string; text: string }
  | { kind: 'other' };

const COMMAND = /^\/(\S+)\s*([\s\S]*)$/;
const CLICK = /^#?(\d{1,9})$/;

export function parseLine(line: string): ShellLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  const click = CLICK.exec(trimmed);
  if (click?.[1] !== undefined) return { kind: 'click', n: Number(click[1]) };
  const command = COMMAND.exec(trimmed);
  if (!command?.[1]) return { kind: 'other' };
  const name = command[1].toLowerCase();
  const text = (command[2] ?? '').trim();
  switch (name) {
    case 'help':
      return { kind: 'help' };
    case 'whoami':
      return { kind: 'whoami' };
    case 'quit':
    case 'exit':
      return { kind: 'quit' };
    case 'cancel':
      return { kind: 'cancel' };
    case 'as':
      return { kind: 'as', name: text };
    default:
      return { kind: 'command', command: name, text };
  }
}

/** What a line means while a form question is being answered: a shell word, or the answer. */
export type FormLine = { kind: 'cancel' } | { kind: 'quit' } | { kind: 'help' } | { kind: 'answer'; text: string };

export function parseFormLine(line: string): FormLine {
  switch (line.trim().toLowerCase()) {
    case '/cancel':
      return { kind: 'cancel' };
    case '/quit':
    case '/exit':
      return { kind: 'quit' };
    case '/help':
      return { kind: 'help' };
    default:
      return { kind: 'answer', text: line };
  }
}
