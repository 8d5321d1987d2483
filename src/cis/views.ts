import { formatCiId } from './rules.js';
import type { BatchResult, LineOutcome } from './batch.js';
import type { CiRecord } from './service.js';
import type { RecordRef } from './records.js';
import { formatAge, mention, truncate } from '../chat/format.js';
import { countKey, type MessageKey, type Translate } from '../chat/i18n/catalog.js';
import type { ChatMessage, Platform } from '../chat/model.js';
import type { ConfigurationItem } from '../store/entities/index.js';

/** At most this many rows in a list section, so a card stays within every platform's limits. */
const SECTION_ROWS = 10;

function names(items: ConfigurationItem[], t: Translate): string {
  if (items.length === 0) return t('cis.show.none');
  const shown = items.slice(0, SECTION_ROWS).map((i) => `${formatCiId(i.id)} ${truncate(i.name, 40)}`);
  return items.length > SECTION_ROWS ? `${shown.join(', ')} ${t('cis.show.andMore', { n: items.length - SECTION_ROWS })}` : shown.join(', ');
}

function recordRows(records: RecordRef[], now: Date, t: Translate): string {
  if (records.length === 0) return t('cis.show.none');
  const rows = records.slice(0, SECTION_ROWS).map((r) => t('cis.show.recordRow', { id: r.label, state: r.state.replace(/_/g, ' '), age: formatAge(r.createdAt, now, t), title: truncate(r.title, 60) }));
  if (records.length > SECTION_ROWS) rows.push(t('cis.show.andMore', { n: records.length - SECTION_ROWS }));
  return rows.join('\n');
}

/** `/ops ci show`: the item, what it depends on, what depends on it, its open records and recent changes. */
export function ciShowMessage(
  record: CiRecord,
  related: { dependents: ConfigurationItem[]; open: RecordRef[]; changes: RecordRef[] },
  view: { t: Translate; platform: Platform; now: Date },
): ChatMessage {
  const { t } = view;
  const { item } = record;
  const title = `🧩 ${formatCiId(item.id)} · ${item.name}`;
  const fields = [
    { label: t('cis.field.type'), value: t(`cis.type.${item.type}`) },
    { label: t('cis.field.environment'), value: t(`cis.environment.${item.environment}`) },
    { label: t('cis.field.owner'), value: record.owner ? mention(record.owner, view.platform) : t('cis.show.none') },
    { label: t('cis.field.criticality'), value: t(`cis.criticality.${item.criticality}`) },
    { label: t('cis.field.aliases'), value: record.aliases.length ? record.aliases.join(', ') : t('cis.show.none') },
    { label: t('cis.field.runbook'), value: item.runbookUrl ?? t('cis.show.none') },
    { label: t('cis.field.dependsOn'), value: names(record.dependsOn, t) },
    { label: t('cis.field.dependents'), value: names(related.dependents, t) },
  ];
  const sections = [
    ...(item.notes ? [truncate(item.notes, 1000)] : []),
    `${t('cis.show.openRecords')}\n${recordRows(related.open, view.now, t)}`,
    `${t('cis.show.recentChanges')}\n${recordRows(related.changes, view.now, t)}`,
  ];
  return { fallback: title, title, color: item.criticality === 1 ? 'red' : item.criticality === 2 ? 'orange' : 'grey', fields, body: sections.join('\n\n') };
}

/** `/ops ci list`: one row per item, by name. */
export function ciListMessage(page: { items: ConfigurationItem[]; total: number }, title: string, t: Translate): ChatMessage {
  if (page.items.length === 0) {
    const text = t('cis.list.empty');
    return { fallback: text, title, body: text };
  }
  const lines = page.items.map((i) =>
    t('cis.list.row', { id: formatCiId(i.id), name: truncate(i.name, 60), type: t(`cis.type.${i.type}`), environment: t(`cis.environment.${i.environment}`), criticality: i.criticality }),
  );
  const context = page.total > page.items.length ? [t('cis.list.more', { shown: page.items.length, total: page.total })] : [];
  return { fallback: lines.join('\n'), title, body: lines.join('\n'), context };
}

/** A refusal in the reader's words. */
export function refusalText(refusal: NonNullable<LineOutcome['refusal']>, t: Translate): string {
  if (refusal.code === 'invalid') return t('cis.refused.invalid', { ...refusal.params, expected: t(expectedKey(refusal.params.field)) });
  if (refusal.code === 'columns') return t(countKey('cis.refused.columns', Number(refusal.params.found)), refusal.params);
  return t(`cis.refused.${refusal.code}` as MessageKey, refusal.params);
}

const EXPECTED_FIELDS = ['name', 'type', 'environment', 'criticality', 'runbook', 'aliases', 'depends_on', 'owner', 'notes'] as const;

/** What a valid value of a column looks like. */
export function expectedKey(field: string | undefined): MessageKey {
  const known = EXPECTED_FIELDS.find((f) => f === field) ?? 'name';
  return `cis.expected.${known}`;
}

const SHOWN_LINES = 30;

/** The answer to an import: counts, then each refused line with its reason, then what was created or changed. */
export function batchResultMessage(result: BatchResult, t: Translate): ChatMessage {
  const count = (o: LineOutcome['outcome']) => result.lines.filter((l) => l.outcome === o).length;
  // All or nothing, refused: no line was created or changed, so none is reported as such (nor has an id).
  const summary = result.written
    ? t('cis.import.summary', { created: count('created'), changed: count('changed'), unchanged: count('unchanged'), refused: count('refused') })
    : t('cis.import.summaryNotWritten', { good: result.lines.length - count('refused'), refused: count('refused') });
  const refused = result.lines.filter((l) => l.outcome === 'refused').map((l) => t('cis.import.refusedLine', { line: l.line, name: l.name || '—', reason: refusalText(l.refusal ?? { code: 'invalid', params: { field: 'name' } }, t) }));
  const written = result.lines
    .filter((l) => result.written && (l.outcome === 'created' || l.outcome === 'changed'))
    .map((l) => t('cis.import.line', { line: l.line, name: l.name, outcome: t(`cis.import.outcome.${l.outcome as 'created' | 'changed'}`), id: l.id ? formatCiId(l.id) : '' }));
  const rows = [...refused, ...written];
  const shown = rows.slice(0, SHOWN_LINES);
  if (rows.length > SHOWN_LINES) shown.push(t('cis.show.andMore', { n: rows.length - SHOWN_LINES }));
  const head = result.written ? summary : `${summary}\n${t('cis.import.nothingWritten')}`;
  return { fallback: head, title: t('cis.import.title'), body: [head, ...shown].join('\n'), color: refused.length ? 'orange' : 'green' };
}
