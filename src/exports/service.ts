import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { In, type EntityManager } from 'typeorm';
import { csvEncoder, type CsvCell } from './csv.js';
import { spoolCsvParts, type CsvPart } from './spool-csv.js';
import { EXPORT_TABLES, isoIn, type ExportKind, type ExportTable, type Lookups } from './tables.js';
import { ForbiddenError } from '../errors.js';
import type { Actor } from '../people/actor.js';
import { hasRole } from '../people/roles.js';
import { ConfigurationItem, ConfigurationItemAlias, ConfigurationItemLink, Person, RecordCi } from '../store/entities/index.js';
import type { Store } from '../store/store.js';
import type { Clock } from '../clock.js';
import { spoolDirFor } from '../outbox/spool.js';

/** Rows read per query: memory stays flat however many records there are. */
export const EXPORT_BATCH = 1000;

/** Half-open range of creation times [from, to), UTC instants; either end may be open. */
export interface ExportRange {
  from?: Date | undefined;
  to?: Date | undefined;
}

const RECORD_KIND = { faults: 'fault', requests: 'request', changes: 'change' } as const;

/**
 * CSV exports (policy 3.3, records archived for lookup and audit; 5.1 audit). Managers export faults,
 * requests, changes and configuration items; only admins export the audit log. Rows are read in id
 * order in batches of EXPORT_BATCH and streamed into the sink or a spooled file, so 100,000 faults
 * never sit in memory.
 */
export class ExportService {
  constructor(
    readonly store: Store,
    readonly clock: Clock,
    readonly timeZone: string,
    /** Told when an export was queued for delivery. */
    readonly onOutbox?: () => void,
    /** Where chat exports are spooled until delivered (src/outbox/spool.ts); default: next to the database. */
    readonly spoolDir: string = spoolDirFor(store.kind, store.dataSource.options.database),
  ) {}

  /** Throws ForbiddenError unless the actor may export this kind. */
  assertAllowed(actor: Actor, kind: ExportKind): void {
    if (kind === 'audit' && !hasRole(actor.roles, 'admin')) throw new ForbiddenError('exports.error.adminOnly');
    if (!hasRole(actor.roles, 'manager')) throw new ForbiddenError('exports.error.managerOnly');
  }

  /** Writes the CSV into `sink` and ends it; resolves to the number of rows (header not counted). */
  async writeCsv(kind: ExportKind, range: ExportRange, sink: Writable): Promise<number> {
    const encoder = csvEncoder(EXPORT_TABLES[kind].header);
    const write = async (text: string) => {
      if (!sink.write(text)) await once(sink, 'drain');
    };
    await write(encoder.head);
    const count = await this.eachBatch(kind, range, (batch) => write(encoder.rows(batch)));
    sink.end();
    await finished(sink);
    return count;
  }

  /**
   * Writes the CSV into the outbox spool folder (`spoolDir`) in parts of at most `maxBytes` each
   * (spool-csv.ts), for a file sent as a chat attachment; the caller queues them or removes them.
   */
  spoolCsv(kind: ExportKind, range: ExportRange, suffix: string, maxBytes: number): Promise<CsvPart[]> {
    return spoolCsvParts(csvEncoder(EXPORT_TABLES[kind].header), this.spoolDir, suffix, maxBytes, (emit) => this.eachBatch(kind, range, emit));
  }

  /** Feeds the export's rows to `emit` in id order, EXPORT_BATCH records at a time; resolves to their number. */
  async eachBatch(kind: ExportKind, range: ExportRange, emit: (batch: CsvCell[][]) => Promise<void>): Promise<number> {
    const table = EXPORT_TABLES[kind] as ExportTable<Row>;
    const manager = this.store.manager;
    const time = isoIn(this.timeZone);
    let after = 0;
    let count = 0;
    for (;;) {
      const query = manager.createQueryBuilder(table.entity, 'e').where('e.id > :after', { after }).orderBy('e.id', 'ASC').take(EXPORT_BATCH);
      if (range.from) query.andWhere('e.created_at >= :from', { from: range.from.toISOString() });
      if (range.to) query.andWhere('e.created_at < :to', { to: range.to.toISOString() });
      const batch = await query.getMany();
      if (batch.length === 0) return count;
      const lookups = await this.lookups(manager, kind, table, batch);
      await emit(batch.map((row) => table.row(row, lookups, time)));
      count += batch.length;
      after = batch[batch.length - 1]?.id ?? after;
      if (batch.length < EXPORT_BATCH) return count;
    }
  }

  private async lookups(manager: EntityManager, kind: ExportKind, table: ExportTable<Row>, batch: Row[]): Promise<Lookups> {
    const personIds = [...new Set(batch.flatMap((r) => table.people(r)).filter((id): id is number => id !== null))];
    const people = personIds.length ? await manager.find(Person, { where: { id: In(personIds) } }) : [];
    const names = new Map(people.map((p) => [p.id, p.displayName]));
    const ids = batch.map((r) => r.id);
    const recordKind = kind === 'faults' || kind === 'requests' || kind === 'changes' ? RECORD_KIND[kind] : undefined;
    const links = recordKind ? await manager.find(RecordCi, { where: { recordKind, recordId: In(ids) } }) : [];
    const ciLinks = kind === 'cis' ? await manager.find(ConfigurationItemLink, { where: { ciId: In(ids) } }) : [];
    const aliases = kind === 'cis' ? await manager.find(ConfigurationItemAlias, { where: { ciId: In(ids) }, order: { id: 'ASC' } }) : [];
    const ciIds = [...new Set([...links.map((l) => l.ciId), ...ciLinks.map((l) => l.dependsOnId)])];
    const cis = ciIds.length ? await manager.find(ConfigurationItem, { where: { id: In(ciIds) }, select: { id: true, name: true } }) : [];
    const ciNames = new Map(cis.map((c) => [c.id, c.name]));
    return {
      person: (id) => (id === null ? null : (names.get(id) ?? null)),
      cis: (_kind, id) => links.filter((l) => l.recordId === id).map((l) => ciNames.get(l.ciId) ?? '').filter(Boolean).sort().join('; ') || null,
      ciName: (id) => ciNames.get(id) ?? String(id),
      aliases: (ciId) => aliases.filter((a) => a.ciId === ciId).map((a) => a.alias),
      dependsOn: (ciId) => ciLinks.filter((l) => l.ciId === ciId).map((l) => l.dependsOnId),
    };
  }
}

interface Row {
  id: number;
  createdAt: Date;
}
