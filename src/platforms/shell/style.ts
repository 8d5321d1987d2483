import { styleText } from 'node:util';
import type { ButtonStyle, CardColor } from '../../chat/model.js';

type TextFormat = Parameters<typeof styleText>[0];
type SingleFormat = Exclude<TextFormat, readonly unknown[]>;

/** How text is decorated: ANSI colours on a colour terminal, plain text everywhere else. */
export interface Style {
  title(text: string, color?: CardColor): string;
  label(text: string): string;
  dim(text: string): string;
  header(text: string): string;
  button(text: string, style?: ButtonStyle): string;
  error(text: string): string;
}

export const plainStyle: Style = {
  title: (text) => text,
  label: (text) => text,
  dim: (text) => text,
  header: (text) => text,
  button: (text) => text,
  error: (text) => text,
};

const CARD_COLORS: Record<CardColor, SingleFormat> = {
  red: 'red',
  orange: 'yellow',
  yellow: 'yellowBright',
  grey: 'gray',
  green: 'green',
  blue: 'blue',
};

function paint(format: TextFormat, text: string): string {
  // We decide about colour ourselves (the output stream may not be process.stdout).
  return styleText(format, text, { validateStream: false });
}

export const ansiStyle: Style = {
  title: (text, color) => paint(color ? ['bold', CARD_COLORS[color]] : 'bold', text),
  label: (text) => paint('bold', text),
  dim: (text) => paint('dim', text),
  header: (text) => paint('cyan', text),
  button: (text, style) =>
    paint(style === 'primary' ? ['bold', 'green'] : style === 'danger' ? ['bold', 'red'] : 'bold', text),
  error: (text) => paint('red', text),
};
