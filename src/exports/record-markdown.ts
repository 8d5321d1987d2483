// The Markdown layout every record export shares (`/fault|request|change export`; policy 3.3, records
// archived): a heading, the fields as a table, the long texts as sections, the whole timeline as a table.
import { formatTime } from '../chat/format.js';
import type { TimelineEntry } from '../records/timeline.js';

/** Text safe inside a Markdown table cell: no pipes or line breaks to break the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n|\r/g, '<br>');
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
  const lines = [`# ${doc.label} · ${doc.title.replace(/\r?\n|\r/g, ' ')}`, '', '| | |', '|---|---|', ...doc.fields.map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`), ''];
  for (const [heading, text] of doc.sections) if (text) lines.push(`## ${heading}`, '', text, '');
  lines.push(`## ${doc.timelineTitle}`, '', '| | | | |', '|---|---|---|---|');
  for (const { event, actor } of doc.timeline) {
    lines.push(`| ${formatTime(event.createdAt, timeZone)} | ${cell(actor ?? doc.systemActor)} | ${cell(doc.eventLabel(event.kind))} | ${cell(event.note ?? '')} |`);
  }
  return `${lines.join('\n')}\n`;
}
