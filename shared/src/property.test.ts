import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import fc from 'fast-check';
import { ClubpassError, type ErrorCode, isErrorCode } from './errors.js';
import { importJwks } from './jwks.js';
import type { TrustedKeySet } from './types.js';
import { type VerifyPresentationOptions, verifyPresentation } from './verify-presentation.js';

// Byte-level mutations of a valid presentation must never verify, and must fail only with a
// ClubpassError: never a TypeError, a DOMException or a hang. The presentations are the stored
// ones, so CLUBPASS_PROPERTY_SEED replays a run exactly; CLUBPASS_PROPERTY_RUNS widens it.

const SEED = Number(process.env.CLUBPASS_PROPERTY_SEED ?? 20261203);
const RUNS = Number(process.env.CLUBPASS_PROPERTY_RUNS ?? 500);

interface StoredCase {
  alg: string;
  jwks: unknown;
  presentation: string;
}
const stored = JSON.parse(
  readFileSync(new URL('../fixtures/clubpass/presentations.json', import.meta.url), 'utf8'),
) as {
  now: string;
  issuer: string;
  audience: string;
  origin: string;
  nonce: string;
  cases: StoredCase[];
};

let subjects: Array<{ alg: string; presentation: string; options: VerifyPresentationOptions }>;
before(async () => {
  const now = new Date(stored.now);
  subjects = await Promise.all(
    stored.cases.map(async (c) => {
      const keys: TrustedKeySet = await importJwks(c.jwks);
      const { issuer, audience, origin, nonce } = stored;
      return {
        alg: c.alg,
        presentation: c.presentation,
        options: { keys, issuer, audience, origin, nonce, clock: { now: () => now } },
      };
    }),
  );
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'retype'; at: number; index: number }
  | { kind: 'drop'; part: number }
  | { kind: 'duplicate'; part: number }
  | { kind: 'swap'; part: number; other: number };

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Mostly characters a lenient parser would shrug at: the alphabet, separators, padding, the
// standard alphabet, whitespace; then anything at all, astral and lone surrogates included.
const character = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...BASE64URL) },
  { weight: 3, arbitrary: fc.constantFrom('~', '.', '=', '+', '/', ' ', '\n', '\t', '\u0000', '%') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udfff', 'é', '€') },
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: character }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: character }),
  // Kept within the alphabet and off the separators, so the result still parses as often as not
  // and the signature, digest and sd_hash checks are what must catch it.
  fc.record({ kind: fc.constant('retype' as const), at: fc.nat(), index: fc.nat({ max: 63 }) }),
  // Whole `~` parts dropped, repeated or reordered: disclosures and the KB-JWT moved around intact.
  fc.record({ kind: fc.constant('drop' as const), part: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), part: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), part: fc.nat(), other: fc.nat() }),
);

function apply(input: string, mutations: readonly Mutation[]): string {
  let s = input;
  for (const m of mutations) {
    if (m.kind === 'drop' || m.kind === 'duplicate' || m.kind === 'swap') {
      const parts = s.split('~');
      const i = m.part % parts.length;
      if (m.kind === 'drop') parts.splice(i, 1);
      else if (m.kind === 'duplicate') parts.splice(i, 0, parts[i] as string);
      else {
        const j = m.other % parts.length;
        [parts[i], parts[j]] = [parts[j] as string, parts[i] as string];
      }
      s = parts.join('~');
      continue;
    }
    const at = s.length === 0 ? 0 : m.at % s.length;
    if (m.kind === 'flip') s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << m.bit)) + s.slice(at + 1);
    else if (m.kind === 'insert') s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.kind === 'delete') s = s.slice(0, at) + s.slice(at + m.length);
    else if (m.kind === 'replace') s = s.slice(0, at) + m.text + s.slice(at + 1);
    else if (BASE64URL.includes(s.charAt(at))) s = s.slice(0, at) + BASE64URL.charAt(m.index) + s.slice(at + 1);
  }
  return s;
}

/** The code a presentation fails with; anything but a ClubpassError (or success) fails the property. */
async function failureCode(presentation: string, options: VerifyPresentationOptions): Promise<ErrorCode> {
  try {
    await verifyPresentation(presentation, options);
  } catch (error) {
    if (error instanceof ClubpassError && isErrorCode(error.code)) return error.code;
    throw new Error(`threw a non-ClubpassError: ${String(error)}`, { cause: error });
  }
  throw new Error(`a mutated presentation verified: ${JSON.stringify(presentation)}`);
}

test('control: the stored presentations verify unmutated', async () => {
  assert.deepEqual(
    subjects.map((s) => s.alg),
    ['EdDSA', 'ES256'],
  );
  for (const s of subjects) await verifyPresentation(s.presentation, s.options);
});

test(`random mutations never verify and fail only with ClubpassError (seed ${SEED}, ${RUNS} runs)`, async (t) => {
  const seen = new Map<ErrorCode, number>();
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      async (which, mutations) => {
        const subject = subjects[which] as (typeof subjects)[number];
        const mutated = apply(subject.presentation, mutations);
        fc.pre(mutated !== subject.presentation);
        const code = await failureCode(mutated, subject.options);
        seen.set(code, (seen.get(code) ?? 0) + 1);
        checked++;
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
  t.diagnostic(`codes reached: ${JSON.stringify(Object.fromEntries(seen))}`);
  assert.ok(checked >= RUNS * 0.9, `only ${checked} of ${RUNS} runs checked a changed presentation`);
  // The mutations must reach past the parser, or this would only be a fuzz test of base64url.
  for (const code of ['malformed_credential', 'invalid_signature', 'invalid_key_binding'] as const) {
    assert.ok((seen.get(code) ?? 0) > 0, `no mutation reached ${code}: ${JSON.stringify([...seen])}`);
  }
});

test('arbitrary strings, including ~ and . soup, fail only with ClubpassError', async () => {
  const soup = fc.string({ unit: fc.constantFrom(...BASE64URL, '~', '.', '~', '.'), maxLength: 300 });
  await fc.assert(
    fc.asyncProperty(fc.oneof(soup, fc.string({ unit: 'binary', maxLength: 300 })), async (input) => {
      await failureCode(input, (subjects[0] as (typeof subjects)[number]).options);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
