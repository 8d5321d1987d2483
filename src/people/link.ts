// Linking a person's accounts across platforms (`/ops link`): one account asks for a one-time code,
// the other enters it, and the two people the bot knew become one. The newer person is merged into
// the older one: identities, role grants and every record that names a person follow, so that roles,
// KPIs and direct messages belong to the human, whichever platform they use.
import { createHash, randomInt } from 'node:crypto';
import type { EntityManager, EntityMetadata } from 'typeorm';
import { IsNull } from 'typeorm';
import type { Actor } from './actor.js';
import { isRole, type Role } from './roles.js';
import { appendAudit } from '../audit/chain.js';
import type { Clock } from '../clock.js';
import { InvalidInputError } from '../errors.js';
import { Identity, LinkCode, Person, RoleGrant } from '../store/entities/index.js';
import type { Store } from '../store/store.js';

export const LINK_CODE_TTL_MS = 10 * 60_000;

/** No 0/O or 1/I: codes are read on one screen and typed on another. 32 symbols, 8 of them: 40 bits. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;

/**
 * Columns naming a person without a foreign key (timelines, "granted by", "updated by"). Columns with
 * a foreign key to `people` are found from the entity metadata and need no entry here. The audit log
 * is deliberately absent: it is append-only and hash-chained, and keeps naming whoever acted then.
 */
export const PERSON_COLUMNS_WITHOUT_FK: readonly { table: string; column: string }[] = [
  { table: 'record_events', column: 'actor_id' },
  { table: 'sla_notices', column: 'recipient_id' },
  { table: 'oncall_overrides', column: 'created_by' },
  { table: 'oncall_rotations', column: 'updated_by' },
  { table: 'role_grants', column: 'granted_by' },
  { table: 'settings', column: 'updated_by' },
];

/** `ABCD-EFGH`: a fresh code, shown with a dash for reading. */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as typed (any case, with or without the dash or spaces), or undefined if it cannot be one. */
export function normaliseLinkCode(raw: string): string | undefined {
  const code = raw.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH || [...code].some((c) => !ALPHABET.includes(c))) return undefined;
  return code;
}

function hashCode(normalised: string): string {
  return createHash('sha256').update(normalised).digest('hex');
}

export interface IssuedCode {
  code: string;
  expiresAt: Date;
}

export type LinkResult =
  | { linked: false; reason: 'alreadyLinked' }
  | { linked: true; person: Person; platforms: string[]; roles: Role[] };

export class LinkService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** A new one-time code for the actor's account; an older unused one of that account stops working. */
  async issue(actor: Actor): Promise<IssuedCode> {
    const code = newLinkCode();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
    await this.store.transaction(async (manager) => {
      await manager.delete(LinkCode, { platform: actor.platform, userId: actor.userId, usedAt: IsNull() });
      await manager.insert(LinkCode, {
        codeHash: hashCode(normaliseLinkCode(code) ?? code),
        personId: actor.personId,
        platform: actor.platform,
        userId: actor.userId,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
    });
    return { code, expiresAt };
  }

  /** Enters a code from another platform: the two people become one (the older one stays). */
  async redeem(actor: Actor, rawCode: string): Promise<LinkResult> {
    const normalised = normaliseLinkCode(rawCode);
    if (!normalised) throw new InvalidInputError('people.link.invalid');
    return this.store.transaction(async (manager) => {
      const now = this.clock.now();
      const code = await manager.findOne(LinkCode, { where: { codeHash: hashCode(normalised) } });
      if (!code || code.usedAt !== null || code.expiresAt.getTime() <= now.getTime()) throw new InvalidInputError('people.link.invalid');
      if (code.platform === actor.platform) {
        throw new InvalidInputError('people.link.samePlatform', { platform: { key: platformKey(code.platform) } });
      }
      await manager.update(LinkCode, { id: code.id }, { usedAt: now });
      if (code.personId === actor.personId) return { linked: false, reason: 'alreadyLinked' };

      const pair = await manager.findBy(Person, [{ id: code.personId }, { id: actor.personId }]);
      const [keep, merge] = [...pair].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
      if (!keep || !merge) throw new InvalidInputError('people.link.invalid');
      const mergedIdentities = await manager.find(Identity, { where: { personId: merge.id }, order: { id: 'ASC' } });
      const keptIdentities = await manager.find(Identity, { where: { personId: keep.id }, order: { id: 'ASC' } });

      await mergePeople(manager, keep.id, merge.id);
      if (keep.locale === null && merge.locale !== null) await manager.update(Person, { id: keep.id }, { locale: merge.locale });
      await manager.delete(Person, { id: merge.id });

      const accounts = (list: Identity[]) => list.map((i) => `${i.platform}:${i.userId}`);
      await appendAudit(manager, now, {
        actor: { personId: keep.id, displayName: actor.displayName },
        action: 'person.merge',
        recordType: 'person',
        recordId: String(keep.id),
        before: { kept: { id: keep.id, accounts: accounts(keptIdentities) }, merged: { id: merge.id, name: merge.displayName, accounts: accounts(mergedIdentities) } },
        after: { id: keep.id, accounts: [...accounts(keptIdentities), ...accounts(mergedIdentities)] },
      });
      const identities = await manager.find(Identity, { where: { personId: keep.id }, order: { id: 'ASC' } });
      const roles = (await manager.find(RoleGrant, { where: { personId: keep.id }, order: { role: 'ASC' } })).map((g) => g.role).filter(isRole);
      return { linked: true, person: keep, platforms: [...new Set(identities.map((i) => i.platform))], roles };
    });
  }
}

export function platformKey(platform: string): 'people.link.platform.slack' | 'people.link.platform.discord' | 'people.link.platform.shell' {
  return platform === 'slack' ? 'people.link.platform.slack' : platform === 'discord' ? 'people.link.platform.discord' : 'people.link.platform.shell';
}

interface PersonColumn {
  metadata: EntityMetadata;
  column: string;
}

/** Every column that names a person: foreign keys to `people`, plus the listed plain columns. */
function personColumns(manager: EntityManager): PersonColumn[] {
  const found = new Map<string, PersonColumn>();
  for (const metadata of manager.connection.entityMetadatas) {
    if (metadata.tableName === 'people') continue;
    for (const fk of metadata.foreignKeys) {
      if (fk.referencedEntityMetadata.tableName !== 'people') continue;
      for (const column of fk.columns) found.set(`${metadata.tableName}.${column.databaseName}`, { metadata, column: column.databaseName });
    }
    for (const extra of PERSON_COLUMNS_WITHOUT_FK) {
      if (extra.table === metadata.tableName && metadata.findColumnWithDatabaseName(extra.column)) {
        found.set(`${extra.table}.${extra.column}`, { metadata, column: extra.column });
      }
    }
  }
  return [...found.values()];
}

/** Unique constraints (indices and @Unique) over a column: the others columns of each. */
function uniqueSiblings(metadata: EntityMetadata, column: string): string[][] {
  const sets = [
    ...metadata.indices.filter((i) => i.isUnique).map((i) => i.columns.map((c) => c.databaseName)),
    ...metadata.uniques.map((u) => u.columns.map((c) => c.databaseName)),
  ];
  return sets.filter((names) => names.includes(column)).map((names) => names.filter((n) => n !== column));
}

/**
 * Re-points every record of person `mergeId` to `keepId`. Where a unique constraint would be broken
 * (both had the role engineer, both were told about the same change), the merged person's duplicate
 * row is dropped: one person holds a role once.
 */
export async function mergePeople(manager: EntityManager, keepId: number, mergeId: number): Promise<void> {
  const driver = manager.connection.driver;
  const q = (name: string) => driver.escape(name);
  const postgres = manager.connection.options.type === 'postgres';
  const p = (n: number) => (postgres ? `$${n}` : '?');
  for (const { metadata, column } of personColumns(manager)) {
    const table = metadata.schema ? `${q(metadata.schema)}.${q(metadata.tableName)}` : q(metadata.tableName);
    for (const others of uniqueSiblings(metadata, column)) {
      const same = others.map((o) => ` AND ${q('k')}.${q(o)} = ${table}.${q(o)}`).join('');
      await manager.query(
        `DELETE FROM ${table} WHERE ${q(column)} = ${p(1)} AND EXISTS (SELECT 1 FROM ${table} ${q('k')} WHERE ${q('k')}.${q(column)} = ${p(2)}${same})`,
        [mergeId, keepId],
      );
    }
    await manager.query(`UPDATE ${table} SET ${q(column)} = ${p(1)} WHERE ${q(column)} = ${p(2)}`, [keepId, mergeId]);
  }
}
