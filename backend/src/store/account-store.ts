import type { Address } from '@clubpass/shared';
import { sql } from 'kysely';
import type { AccountsTable } from '../db/schema.js';
import type { StoreContext } from './kysely-db.js';
import { newestFirst, type Page, type PageRequest, toPage } from './pagination.js';

export type Role = 'member' | 'admin';

/** A member or admin account as the domain sees it. */
export interface Account {
  id: string;
  role: Role;
  email: string;
  passwordHash: string;
  membershipNumber: string | null;
  givenName: string;
  familyName: string;
  phoneNumber: string | null;
  address: Address | null;
  createdAt: string;
}

export interface AccountStore {
  /** Inserts an account; false when the e-mail or membership number is already taken. */
  insert(account: Account): Promise<boolean>;
  findById(id: string): Promise<Account | null>;
  findByEmail(email: string): Promise<Account | null>;
  findByMembershipNumber(number: string): Promise<Account | null>;
  list(role: Role, page: PageRequest, search?: string): Promise<Page<Account>>;
  count(role: Role): Promise<number>;
}

function toAccount(row: AccountsTable): Account {
  return {
    id: row.id,
    role: row.role,
    email: row.email,
    passwordHash: row.password_hash,
    membershipNumber: row.membership_number,
    givenName: row.given_name,
    familyName: row.family_name,
    phoneNumber: row.phone_number,
    address: row.address === null ? null : (JSON.parse(row.address) as Address),
    createdAt: row.created_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Creates the Kysely implementation of {@link AccountStore}. */
export function createAccountStore({ db }: StoreContext): AccountStore {
  return {
    async insert(a) {
      // ON CONFLICT DO NOTHING rather than catching the unique violation: on PostgreSQL a failed
      // statement aborts the surrounding transaction, so a caller inside `store.transaction` could
      // not go on after hearing "taken".
      const result = await db
        .insertInto('accounts')
        .values({
          id: a.id,
          role: a.role,
          email: a.email,
          password_hash: a.passwordHash,
          membership_number: a.membershipNumber,
          given_name: a.givenName,
          family_name: a.familyName,
          phone_number: a.phoneNumber,
          address: a.address === null ? null : JSON.stringify(a.address),
          created_at: a.createdAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async findById(id) {
      const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAccount(row) : null;
    },
    async findByEmail(email) {
      const row = await db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
      return row ? toAccount(row) : null;
    },
    async findByMembershipNumber(number) {
      const row = await db
        .selectFrom('accounts')
        .selectAll()
        .where('membership_number', '=', number)
        .executeTakeFirst();
      return row ? toAccount(row) : null;
    },
    async list(role, page, search) {
      let query = db.selectFrom('accounts').selectAll().where('role', '=', role);
      if (search !== undefined && search !== '') {
        const term = search.trim().toLowerCase();
        query = query.where((eb) =>
          eb.or([
            eb('email', '=', term),
            eb('membership_number', '=', search.trim().toUpperCase()),
            // A prefix search: LIKE wildcards in the term are escaped, so '%' or '_' match themselves.
            sql<boolean>`${eb.ref('email')} like ${`${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`} escape '\\'`,
          ]),
        );
      }
      const rows = await newestFirst(query, page, { at: 'created_at', id: 'id' }).execute();
      return toPage(rows, page.limit, (r) => ({ at: r.created_at, id: r.id }), toAccount);
    },
    async count(role) {
      const row = await db
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('role', '=', role)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export { isUniqueViolation };
