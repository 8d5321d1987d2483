import type { EntityManager } from 'typeorm';
import type { Actor } from './actor.js';
import { GRANTABLE_ROLES, hasRole, isRole, type GrantableRole, type Role } from './roles.js';
import { appendAudit } from '../audit/chain.js';
import { matchLocale } from '../chat/i18n/catalog.js';
import type { ChatActor, ChatTarget, Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, InvalidInputError } from '../errors.js';
import type { Store } from '../store/store.js';
import { Identity, Person, RoleGrant } from '../store/entities/index.js';
import { PlainSql } from '../store/plain-sql.js';

/** A platform account named in a command (`<@U123>`) or a form (a user picker). */
export interface AccountRef {
  platform: Platform;
  userId: string;
  displayName?: string;
}

export interface RoleHolder {
  personId: number;
  displayName: string;
  roles: Role[];
}

interface IdentityRow {
  person: { id: number; displayName: string; locale: string | null };
  accounts: number;
  roles: Role[];
}

/**
 * The one read per request (see resolveWithLocale): id, display_name, locale, accounts (a count: a
 * number on SQLite, a bigint string on PostgreSQL) and roles (granted roles joined by commas, or
 * null), through the unique index on (platform, user_id). Table names come from the entities, qualified with the DataSource's schema when it has one
 * (PostgreSQL test schemas), like src/jobs/lease.ts.
 */
function identitySql(manager: EntityManager): string {
  const { driver } = manager.connection;
  const table = (entity: typeof Identity | typeof Person | typeof RoleGrant) =>
    manager.connection
      .getMetadata(entity)
      .tablePath.split('.')
      .map((part) => driver.escape(part))
      .join('.');
  const postgres = manager.connection.options.type === 'postgres';
  const roles = postgres ? "string_agg(g.role, ',')" : "group_concat(g.role, ',')";
  return `SELECT p.id, p.display_name, p.locale,
      (SELECT COUNT(*) FROM ${table(Identity)} o WHERE o.person_id = p.id) AS accounts,
      (SELECT ${roles} FROM ${table(RoleGrant)} g WHERE g.person_id = p.id) AS roles
    FROM ${table(Identity)} i JOIN ${table(Person)} p ON p.id = i.person_id
    WHERE i.platform = ? AND i.user_id = ?`;
}

export class PeopleService {
  /** Built on first use, when the DataSource's metadata is there. */
  private identityQuery: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** `platform:userId` accounts that become admins the first time they are seen. */
    private readonly bootstrapAdmins: readonly string[],
  ) {}

  /**
   * The person behind a platform account, created on first sight, with their roles. A display name
   * or platform locale that differs from the stored one replaces it.
   */
  async resolve(chat: ChatActor): Promise<Actor> {
    return (await this.resolveWithLocale(chat)).actor;
  }

  /**
   * `resolve`, plus the locale stored for the person (null when none), which a caller needs when
   * the event carries no locale (Slack slash commands).
   *
   * `localeOf` asks the platform for the account's locale (Slack users.info: EventHooks.localeOf in
   * src/platforms/port.ts). It is called only when `chat` carries no locale and none usable is stored,
   * so once per new person; what it gives is stored like a locale seen on an event. It must not
   * reject (a failed lookup resolves to undefined); its time is added to this request's.
   *
   * Every chat request starts here, so the usual case (a known account, nothing to update) is one
   * prepared query that reads the person, their number of accounts and their role grants together
   * (identitySql), instead of three TypeORM finds. Nothing is cached in the process, on purpose:
   * a grant, revoke or account link made by another replica on the same database is seen by the
   * very next request, with no invalidation protocol and no time-to-live during which a revoked
   * role still works. The cost of that choice is this one indexed query per request (tens of µs on
   * SQLite: bench/results.md), which is what a cache would also pay to check a version row.
   */
  async resolveWithLocale(chat: ChatActor, localeOf?: () => Promise<string | undefined>): Promise<{ actor: Actor; storedLocale: string | null }> {
    let found = await this.readIdentity(chat.platform, chat.userId);
    if (!found) {
      // Two first requests of a new account may race: the loser's unique violation is absorbed.
      await this.createOnce(chat);
      // Read back like any other account: another request may have created it first, and roles may
      // have been granted ahead to an account first named in a mention (personFor).
      found = await this.readIdentity(chat.platform, chat.userId);
      if (!found) throw new Error(`people: account ${chat.platform}:${chat.userId} not found right after it was created`);
    }
    const { person } = found;
    let roles = found.roles;
    const name = chat.displayName.trim().slice(0, 120);
    if (name && person.displayName !== name && found.accounts === 1) {
      // People rename themselves, and someone first named in a mention has only a placeholder; a
      // person with linked accounts keeps one name instead of flipping with the platform used.
      await this.store.transaction((m) => m.update(Person, { id: person.id }, { displayName: name }));
      person.displayName = name;
    }
    // A platform that sends no locale with some events (Slack slash commands) is asked once instead,
    // when nothing usable is stored yet: the person's first contact is then in their own language.
    const seen = chat.locale ?? (localeOf && !matchLocale(person.locale) ? await localeOf() : undefined);
    const locale = matchLocale(seen);
    if (locale && matchLocale(person.locale) !== locale) {
      // The platform's locale is the person's latest choice; kept for events that carry none.
      await this.store.transaction((m) => m.update(Person, { id: person.id }, { locale }));
      person.locale = locale;
    }
    if (this.bootstrapAdmins.includes(`${chat.platform}:${chat.userId}`) && !roles.includes('admin')) {
      await this.store.transaction((m) => this.bootstrapAdmin(m, person.id));
      roles = await this.rolesOf(this.store.manager, person.id);
    }
    const actor: Actor = { personId: person.id, displayName: person.displayName, roles, platform: chat.platform, userId: chat.userId };
    return { actor, storedLocale: person.locale };
  }

  /**
   * The locale stored for an account's person (as stored: `en`, `zh-CN`, or a platform's spelling
   * such as `en-US`), or undefined for an unknown account or none stored. Creates nothing: for texts
   * written outside the runtime, such as Slack's option menus, whose requests carry no locale.
   */
  async storedLocale(platform: Platform, userId: string): Promise<string | undefined> {
    return (await this.readIdentity(platform, userId))?.person.locale ?? undefined;
  }

  /** The person behind an account with their account count and roles, in one query; undefined for an unknown account. */
  private async readIdentity(platform: Platform, userId: string): Promise<IdentityRow | undefined> {
    this.identityQuery ??= identitySql(this.store.manager);
    const { manager } = this.store;
    // PlainSql: prepared once (SQLite) and `?` numbered for PostgreSQL; TypeORM's query() adds its
    // query runner, logging and event broadcast to every request.
    const { rows } = await PlainSql.of(manager).run(manager, this.identityQuery, [platform, userId]);
    const row = rows[0];
    if (!row) return undefined;
    const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
    const roles = (text(row.roles) ?? '').split(',').filter(isRole);
    return { person: { id: Number(row.id), displayName: text(row.display_name) ?? '', locale: text(row.locale) }, accounts: Number(row.accounts), roles };
  }

  async rolesOf(manager: EntityManager, personId: number): Promise<Role[]> {
    const grants = await manager.find(RoleGrant, { where: { personId } });
    return grants.map((g) => g.role).filter(isRole);
  }

  async person(personId: number): Promise<Person | null> {
    return this.store.manager.findOne(Person, { where: { id: personId } });
  }

  async identities(personIds: number[]): Promise<Identity[]> {
    if (personIds.length === 0) return [];
    return this.store.manager
      .createQueryBuilder(Identity, 'i')
      .where('i.person_id IN (:...ids)', { ids: personIds })
      .orderBy('i.id', 'ASC')
      .getMany();
  }

  /** Where to send a person a direct message: their first account. */
  async dmTarget(manager: EntityManager, personId: number): Promise<ChatTarget | undefined> {
    const identity = await manager.findOne(Identity, { where: { personId }, order: { id: 'ASC' } });
    if (!identity) return undefined;
    return { platform: identity.platform as Platform, kind: 'dm', id: identity.userId };
  }

  /** The person behind an account, read only (nothing is created); null for an account never seen. */
  async lookup(platform: Platform, userId: string): Promise<Person | null> {
    return this.findIdentity(this.store.manager, platform, userId);
  }

  /** The person behind an account named by someone else; created so that roles can be given ahead. */
  async personFor(manager: EntityManager, ref: AccountRef): Promise<Person> {
    return this.findOrCreate(manager, { platform: ref.platform, userId: ref.userId, displayName: ref.displayName ?? ref.userId });
  }

  async grant(actor: Actor, ref: AccountRef, role: string): Promise<{ person: Person; added: boolean }> {
    requireAdmin(actor);
    const grantable = parseGrantable(role);
    return this.store.transaction(async (manager) => {
      const person = await this.personFor(manager, ref);
      const existing = await manager.findOne(RoleGrant, { where: { personId: person.id, role: grantable } });
      if (existing) return { person, added: false };
      const now = this.clock.now();
      await manager.save(RoleGrant, manager.create(RoleGrant, { personId: person.id, role: grantable, grantedBy: actor.personId, createdAt: now }));
      await appendAudit(manager, now, {
        actor,
        action: 'role.grant',
        recordType: 'person',
        recordId: String(person.id),
        before: null,
        after: { role: grantable },
      });
      return { person, added: true };
    });
  }

  async revoke(actor: Actor, ref: AccountRef, role: string): Promise<{ person: Person; removed: boolean }> {
    requireAdmin(actor);
    const grantable = parseGrantable(role);
    return this.store.transaction(async (manager) => {
      const person = await this.personFor(manager, ref);
      if (grantable === 'admin' && person.id === actor.personId) {
        throw new InvalidInputError('people.error.cannotRevokeOwnAdmin');
      }
      const existing = await manager.findOne(RoleGrant, { where: { personId: person.id, role: grantable } });
      if (!existing) return { person, removed: false };
      await manager.delete(RoleGrant, { id: existing.id });
      await appendAudit(manager, this.clock.now(), {
        actor,
        action: 'role.revoke',
        recordType: 'person',
        recordId: String(person.id),
        before: { role: grantable },
        after: null,
      });
      return { person, removed: true };
    });
  }

  async listRoleHolders(): Promise<RoleHolder[]> {
    const grants = await this.store.manager.find(RoleGrant, { relations: { person: true }, order: { personId: 'ASC' } });
    const byPerson = new Map<number, RoleHolder>();
    for (const grant of grants) {
      if (!isRole(grant.role) || !grant.person) continue;
      const holder = byPerson.get(grant.personId) ?? { personId: grant.personId, displayName: grant.person.displayName, roles: [] };
      holder.roles.push(grant.role);
      byPerson.set(grant.personId, holder);
    }
    return [...byPerson.values()];
  }

  private async findIdentity(manager: EntityManager, platform: Platform, userId: string): Promise<Person | null> {
    const identity = await manager.findOne(Identity, { where: { platform, userId }, relations: { person: true } });
    return identity?.person ?? null;
  }

  /**
   * Creates the person of a first-seen account. Two first requests of one account at once (a double
   * click) race on PostgreSQL, where transactions run in parallel: the loser's insert breaks the
   * unique key of identities, and it then finds the winner's person instead of failing.
   */
  private async createOnce(chat: ChatActor): Promise<Person> {
    try {
      return await this.store.transaction((m) => this.findOrCreate(m, chat));
    } catch (error) {
      const text = error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : '';
      if (!/23505|duplicate key value|UNIQUE constraint failed/.test(text)) throw error;
      const found = await this.findIdentity(this.store.manager, chat.platform, chat.userId);
      if (!found) throw error;
      return found;
    }
  }

  private async findOrCreate(manager: EntityManager, chat: ChatActor): Promise<Person> {
    const found = await this.findIdentity(manager, chat.platform, chat.userId);
    if (found) return found;
    const now = this.clock.now();
    const person = await manager.save(
      Person,
      manager.create(Person, { displayName: chat.displayName.slice(0, 120) || chat.userId, locale: matchLocale(chat.locale) ?? null, createdAt: now }),
    );
    await manager.save(Identity, manager.create(Identity, { personId: person.id, platform: chat.platform, userId: chat.userId, createdAt: now }));
    return person;
  }

  /** ADMIN_USERS are admins whenever they act, so that a fresh installation has someone to grant roles. */
  private async bootstrapAdmin(manager: EntityManager, personId: number): Promise<void> {
    if (await manager.findOne(RoleGrant, { where: { personId, role: 'admin' } })) return;
    const now = this.clock.now();
    await manager.save(RoleGrant, manager.create(RoleGrant, { personId, role: 'admin', grantedBy: null, createdAt: now }));
    await appendAudit(manager, now, {
      actor: { personId: null, displayName: 'ADMIN_USERS' },
      action: 'role.grant',
      recordType: 'person',
      recordId: String(personId),
      before: null,
      after: { role: 'admin' },
    });
  }
}

function requireAdmin(actor: Actor): void {
  if (!hasRole(actor.roles, 'admin')) throw new ForbiddenError('people.error.adminOnly');
}

function parseGrantable(role: string): GrantableRole {
  const lower = role.toLowerCase();
  const match = GRANTABLE_ROLES.find((r) => r === lower);
  if (!match) throw new InvalidInputError('people.error.unknownRole', { role, roles: GRANTABLE_ROLES.join(', ') });
  return match;
}
