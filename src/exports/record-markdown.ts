// The Markdown layout every record export shares (`/fault|request|change export`; policy 3.3, records
// archived): a heading, the fields as a table, the long texts as sections, the whole timeline as a table.
import { formatTime } from '../chat/format.js';
import type { TimelineEntry } from '../records/timeline.js';

/**
 * User text as literal Markdown (CommonMark 0.31 §2.4: any ASCII punctuation may be backslash-escaped):
 * the characters that open emphasis, code, links, images, raw HTML, entities, headings, quotes,
 * tables and strikethrough are escaped wherever they are, so `<script>`, `[x](javascript:…)` and
 * `| a | b |` render as typed instead of as markup.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~!&]/g, (c) => `\\${c}`);
}

/**
 * One line of a paragraph: escapeMarkdown, and the starts that only mean something at the beginning of
 * a line (list items `-`, `+`, `1.`, `1)`; setext underlines `=`, `-`; an indented code block) made
 * literal. Leading spaces become no-break spaces, which render as typed but open no code block.
 */
function escapeLine(line: string): string {
  const escaped = escapeMarkdown(line)
    .replace(/^([ \t]*)([-+=])/, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/, '$1\\$2');
  return escaped.replace(/^[ \t]+/, (lead) => '\u00a0'.repeat(lead.replace(/\t/g, '    ').length));
}

/** A long user text as Markdown paragraphs that render as typed: blank lines separate paragraphs, other line breaks are kept (hard breaks). */
export function markdownParagraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => paragraph.split('\n').map(escapeLine).join('\\\n'))
    .filter((paragraph) => paragraph.trim() !== '')
    .join('\n\n');
}

/** Text safe inside a Markdown table cell: escaped, no line breaks to break the row. */
function cell(text: string): string {
  return escapeMarkdown(text).replace(/\r?\n|\r/g, '<br>');
}

export interface RecordDocument {
  /** `INC-4`, `REQ-2`, `CHG-7`. */
  label: string;
  title: string;
  /** Label and value pairs, in order. */
  fields: [string, string][];
  /** Heading and text of the long texts; sections without text are left out. */
  sections: [string, string | null | undefined][];
  timelineTitle: string;
  timeline: TimelineEntry[];
  /** The translated name of a timeline event kind. */
  eventLabel: (kind: string) => string;
  /** Who a system step (no actor) is shown as. */
  systemActor: string;
}

/** The Markdown document (UTF-8 text ending in a newline), event times in `timeZone` (TZ_NAME). */
export function recordMarkdown(doc: RecordDocument, timeZone: string): string {
  const lines = [`# ${doc.label} · ${escapeMarkdown(doc.title.replace(/\r?\n|\r/g, ' '))}`, '', '| | |', '|---|---|', ...doc.fields.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''];
  for (const [heading, text] of doc.sections) if (text) lines.push(`## ${heading}`, '', markdownParagraphs(text), '');
  lines.push(`## ${doc.timelineTitle}`, '', '| | | | |', '|---|---|---|---|');
  for (const { event, actor } of doc.timeline) {
    lines.push(`| ${formatTime(event.createdAt, timeZone)} | ${cell(actor ?? doc.systemActor)} | ${cell(doc.eventLabel(event.kind))} | ${cell(event.note ?? '')} |`);
  }
  return `${lines.join('\n')}\n`;
}
