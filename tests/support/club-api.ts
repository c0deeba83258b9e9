import { ADMIN_EMAIL, ADMIN_PASSWORD } from './club-process.js';

// biome-ignore lint/suspicious/noExplicitAny: the club's JSON answers are read loosely in tests
export type Json = Record<string, any>;

export interface Reply {
  status: number;
  body: Json;
}

/** A small client for the club's HTTP API (PROTOCOL.md §6–§8), as the tests use it. */
export class ClubApi {
  constructor(readonly url: string) {}

  async call(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  /** Like {@link call}, but throws unless the status is `expected`. */
  async expect(
    expected: number,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Json> {
    const reply = await this.call(method, path, options);
    if (reply.status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    return reply.body;
  }

  async signIn(email: string, password: string): Promise<string> {
    return (await this.expect(201, 'POST', '/v1/sessions', { body: { email, password } })).token as string;
  }

  adminToken(): Promise<string> {
    return this.signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
  }
}

/** A member as the tests sign them up: with a postal address, so a shop can ship. */
export interface MemberDetails {
  email: string;
  password: string;
  given_name: string;
  family_name: string;
  address: { street_address: string; postal_code: string; locality: string; country: string };
}

let members = 0;

/** A new member's details; the e-mail is unique within the run. */
export function newMember(label: string): MemberDetails {
  members++;
  return {
    email: `${label}-${members}-${Date.now()}@members.clubpass.test`,
    password: 'a long enough member password',
    given_name: 'Ada',
    family_name: 'Lovelace',
    address: { street_address: 'Hafenstraße 7', postal_code: '20457', locality: 'Hamburg', country: 'DE' },
  };
}
