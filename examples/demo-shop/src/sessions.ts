import { randomBytes } from 'node:crypto';
import type { BenefitClaim, Clock, DisclosedClaims } from '@clubpass/shared';
import type { RequestHandler, Response } from 'express';
import type { ShopDb } from './database.js';

/** A membership the member showed and the club confirmed, kept server-side until checkout. */
export interface Membership {
  /**
   * The presentation itself stays on our server: the browser only ever holds the session cookie,
   * so no script on the page can take the presentation and use it elsewhere.
   */
  presentation: string;
  nonce: string;
  credentialId: string;
  benefit: BenefitClaim;
  disclosed: DisclosedClaims;
  pinRequired: boolean;
  /** After this the presentation's nonce and KB-JWT are too old to redeem: the member shows it again. */
  usableUntil: string;
}

export interface SessionData {
  /** The nonce handed to this browser for its next presentation. */
  nonce?: { value: string; expiresAt: string };
  membership?: Membership;
}

const TTL_SECONDS = 3600;

/** One browser's session. Created lazily: a visitor who never asks for anything gets no row. */
export class Session {
  constructor(
    private readonly deps: { db: ShopDb; clock: Clock; cookieName: string; secure: boolean },
    private readonly res: Response,
    public id: string | null,
    public data: SessionData,
  ) {}

  /** Stores the data (creating the session and its cookie on first use); returns the session id. */
  async save(): Promise<string> {
    const { db, clock, cookieName, secure } = this.deps;
    const expiresAt = new Date(clock.now().getTime() + TTL_SECONDS * 1000).toISOString();
    const data = JSON.stringify(this.data);
    if (this.id === null) {
      // 256 random bits: the cookie is the only thing that ties a browser to a membership.
      this.id = randomBytes(32).toString('base64url');
      await db.deleteFrom('sessions').where('expires_at', '<', clock.now().toISOString()).execute();
      await db.insertInto('sessions').values({ id: this.id, data, expires_at: expiresAt }).execute();
    } else {
      await db.updateTable('sessions').set({ data, expires_at: expiresAt }).where('id', '=', this.id).execute();
    }
    // SameSite=Lax: the cookie is not sent on cross-site POSTs, one of our two CSRF defences.
    this.res.append(
      'Set-Cookie',
      `${cookieName}=${this.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${TTL_SECONDS}${secure ? '; Secure' : ''}`,
    );
    return this.id;
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

/** Loads the browser's session into `res.locals.session` for every request. */
export function sessions(deps: { db: ShopDb; clock: Clock; cookieName: string; secure: boolean }): RequestHandler {
  return async (req, res, next) => {
    const id = readCookie(req.get('cookie'), deps.cookieName);
    const row =
      id === null
        ? undefined
        : await deps.db
            .selectFrom('sessions')
            .select('data')
            .where('id', '=', id)
            .where('expires_at', '>', deps.clock.now().toISOString())
            .executeTakeFirst();
    res.locals.session = row ? new Session(deps, res, id, JSON.parse(row.data)) : new Session(deps, res, null, {});
    next();
  };
}

export function sessionOf(res: Response): Session {
  return res.locals.session as Session;
}
