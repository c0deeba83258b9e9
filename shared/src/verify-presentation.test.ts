import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateKeyPair } from './generate-key-pair.js';
import { MAX_PRESENTATION_BYTES } from './parse-presentation.js';
import { presentCredential } from './present-credential.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { NOW_SECONDS } from './test-support/clock.js';
import {
  AUDIENCE,
  createTestClub,
  holderJwk,
  ISSUER,
  issue,
  JTI,
  NONCE,
  ORIGIN,
  PERSONAL_DETAILS,
  presentation,
  type TestClub,
  verifyOptions,
} from './test-support/club.js';
import { bindPresentation, forgeCredential } from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

let club: TestClub;
before(async () => {
  club = await createTestClub();
});

describe('a valid presentation', () => {
  test('verifies and returns the visible claims, only the chosen disclosures, the holder key and the KB-JWT', async () => {
    const result = await verifyPresentation(await presentation(club), verifyOptions(club));
    assert.deepEqual(result.disclosed, { email: PERSONAL_DETAILS.email, address: PERSONAL_DETAILS.address });
    assert.equal(result.jti, JTI);
    assert.equal(result.kid, club.issuer.kid);
    assert.deepEqual(result.cnf, { jwk: holderJwk(club) });
    assert.deepEqual(result.keyBinding, { iat: NOW_SECONDS, aud: ORIGIN, nonce: NONCE });
    assert.equal(result.claims.iss, ISSUER);
    assert.equal(result.claims.aud, AUDIENCE);
    // The digests and the holder key are plumbing, not claims an affiliate should read or store.
    assert.deepEqual(
      Object.keys(result.claims).filter((k) => k.startsWith('_') || k === 'cnf'),
      [],
    );
  });

  test('discloses nothing the member did not choose, and everything they did', async () => {
    const none = await verifyPresentation(await presentation(club, { disclose: [] }), verifyOptions(club));
    assert.deepEqual(none.disclosed, {});
    const all = Object.keys(PERSONAL_DETAILS);
    const every = await verifyPresentation(await presentation(club, { disclose: all }), verifyOptions(club));
    assert.deepEqual(every.disclosed, PERSONAL_DETAILS);
  });

  for (const [issuerAlg, holderAlg] of [
    ['ES256', 'ES256'],
    ['EdDSA', 'ES256'],
    ['ES256', 'EdDSA'],
  ] as const) {
    test(`verifies with a ${issuerAlg} issuer key and a ${holderAlg} holder key`, async () => {
      const mixed = await createTestClub({ issuerAlg, holderAlg });
      const result = await verifyPresentation(await presentation(mixed), verifyOptions(mixed));
      assert.equal(result.kid, mixed.issuer.kid);
      assert.equal(result.keyBinding?.nonce, NONCE);
    });
  }

  test('verifies with a non-extractable holder key, as the extension keeps it', async () => {
    const holder = await generateKeyPair('ES256', { extractable: false });
    assert.equal(holder.privateKey.extractable, false);
    const nonExtractable = { ...club, holder };
    const result = await verifyPresentation(await presentation(nonExtractable), verifyOptions(nonExtractable));
    assert.deepEqual(result.cnf, { jwk: holderJwk(nonExtractable) });
  });

  test('is verified against any key of the set, so a rotated-out key keeps verifying', async () => {
    const next = await createTestClub();
    const keys = new Map([...club.keys, ...next.keys]);
    const result = await verifyPresentation(await presentation(club), verifyOptions(club, { keys }));
    assert.equal(result.kid, club.issuer.kid);
  });
});

describe('link credentials (§9)', () => {
  test('without cnf and with pin: true, verify with no KB-JWT and null origin and nonce', async () => {
    const credential = await issue(club, { link: true });
    const shown = await presentCredential({ credential, disclose: ['given_name'], keyBinding: null });
    assert.ok(shown.endsWith('~'));
    const result = await verifyPresentation(shown, verifyOptions(club, { origin: null, nonce: null }));
    assert.equal(result.cnf, null);
    assert.equal(result.keyBinding, null);
    assert.equal(result.claims.pin, true);
    assert.deepEqual(result.disclosed, { given_name: PERSONAL_DETAILS.given_name });
  });

  test('without pin: true are refused: the PIN is the only guard of a credential with no holder key', async () => {
    const credential = await issue(club, { link: true, claims: { pin: undefined } });
    const shown = await presentCredential({ credential, disclose: [], keyBinding: null });
    await rejectsWithCode(
      verifyPresentation(shown, verifyOptions(club, { origin: null, nonce: null })),
      'invalid_claims',
    );
  });
});

describe('rule 1: size', () => {
  test('a validly signed presentation over 16 KiB is too_large, and one just under it verifies', async () => {
    // presentCredential itself refuses to build one that big, so these are assembled by hand.
    const withDescription = async (length: number) => {
      const terms = { description: 'x'.repeat(length) };
      const claims = { benefit: { id: 'ben_01', kind: 'prize', title: 'Big', terms } };
      return bindPresentation(club, await forgeCredential(club, { claims }));
    };
    // base64url grows the payload by 4/3: a 11,400-character description lands just under the limit.
    const under = await withDescription(11_400);
    assert.ok(under.length > MAX_PRESENTATION_BYTES - 200 && under.length <= MAX_PRESENTATION_BYTES);
    await verifyPresentation(under, verifyOptions(club));
    await rejectsWithCode(
      verifyPresentation(await withDescription(MAX_PRESENTATION_BYTES), verifyOptions(club)),
      'too_large',
    );
  });

  test('the limit is 16384 bytes: one byte more is too_large, the limit itself is only malformed', async () => {
    await rejectsWithCode(verifyPresentation('A'.repeat(16_384), verifyOptions(club)), 'malformed_credential');
    await rejectsWithCode(verifyPresentation('A'.repeat(16_385), verifyOptions(club)), 'too_large');
  });

  test('the limit counts UTF-8 bytes, not UTF-16 code units', async () => {
    const euros = '€'.repeat(5462); // 5462 code units, 16386 bytes
    await rejectsWithCode(verifyPresentation(euros, verifyOptions(club)), 'too_large');
  });
});

describe('rule 2: shape and strict base64url', () => {
  test('anything but a string is malformed_credential', async () => {
    for (const value of [undefined, null, 42, {}, ['a~'], new Uint8Array(3)]) {
      await rejectsWithCode(verifyPresentation(value, verifyOptions(club)), 'malformed_credential');
    }
  });

  test('a string not shaped jwt~(disclosure~)*(kb-jwt)? is malformed_credential', async () => {
    const good = await presentation(club);
    const [jwt, first] = good.split('~') as [string, string];
    const cases = [
      '',
      jwt, // no "~" at all
      `${jwt}~~`, // an empty disclosure
      `${jwt}~${first}~~${good.slice(good.lastIndexOf('~') + 1)}`,
      `${jwt.split('.').slice(0, 2).join('.')}~`, // two JWT segments
      `${jwt}.AAAA~`, // four JWT segments
      `.${jwt.split('.')[1]}.${jwt.split('.')[2]}~`, // empty header
      `${good}~`.replace(/~$/, '.x~'),
    ];
    for (const value of cases) {
      await rejectsWithCode(verifyPresentation(value, verifyOptions(club)), 'malformed_credential');
    }
  });

  test('a JSON part that is not JSON, or not an object, is malformed_credential', async () => {
    const good = await presentation(club);
    const [jwt, ...rest] = good.split('~');
    const [, payload, signature] = (jwt as string).split('.');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const header of [b64('{"alg":"EdDSA"'), b64('[]'), b64('null'), b64('"EdDSA"'), b64('\u00ff')]) {
      const token = [`${header}.${payload}.${signature}`, ...rest].join('~');
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'malformed_credential');
    }
    const notJsonDisclosure = [jwt, b64('[salt, "email"'), ''].join('~');
    await rejectsWithCode(verifyPresentation(notJsonDisclosure, verifyOptions(club)), 'malformed_credential');
  });

  /** Where each segment of `jwt~disclosure~disclosure~kb` lives, as [part index, dot index | null]. */
  const segments = {
    'issuer header': [0, 0],
    'issuer payload': [0, 1],
    'issuer signature': [0, 2],
    disclosure: [1, null],
    'KB-JWT header': [-1, 0],
    'KB-JWT payload': [-1, 1],
    'KB-JWT signature': [-1, 2],
  } as const;

  // Each mutation keeps the bytes a lenient decoder (Node's Buffer, many JWT libraries) would
  // read, so only the strict-base64url rule stands between it and a successful verification.
  const mutations: Record<string, (segment: string) => string> = {
    'standard alphabet (+ and /)': (s) => (/[-_]/.test(s) ? s.replaceAll('-', '+').replaceAll('_', '/') : `+${s}`),
    '= padding': (s) => `${s}${'='.repeat((4 - (s.length % 4)) % 4 || 2)}`,
    'a leading space': (s) => ` ${s}`,
    'a trailing newline': (s) => `${s}\n`,
    'an inner tab': (s) => `${s.slice(0, 4)}\t${s.slice(4)}`,
  };

  function mutate(good: string, [part, dot]: readonly [number, number | null], fn: (s: string) => string) {
    const parts = good.split('~');
    const index = part < 0 ? parts.length + part : part;
    const original = parts[index] as string;
    const pieces = dot === null ? [original] : original.split('.');
    const target = dot ?? 0;
    const before = pieces[target] as string;
    pieces[target] = fn(before);
    parts[index] = pieces.join('.');
    return { token: parts.join('~'), before, after: pieces[target] as string };
  }

  for (const [where, position] of Object.entries(segments)) {
    for (const [what, fn] of Object.entries(mutations)) {
      test(`${what} in the ${where} is malformed_credential`, async () => {
        const { token, before, after } = mutate(await presentation(club), position, fn);
        if (!after.startsWith('+')) {
          assert.deepEqual(Buffer.from(after, 'base64'), Buffer.from(before, 'base64url'), 'same bytes when lenient');
        }
        await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'malformed_credential');
      });
    }
  }

  test('a non-canonical final character (stray low bits) is malformed_credential', async () => {
    const good = await presentation(club);
    const signature = good.split('~')[0]?.split('.')[2] as string; // 86 chars: the last one carries 4 spare bits
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(signature.at(-1) as string);
    const sibling = `${signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    assert.deepEqual(Buffer.from(sibling, 'base64url'), Buffer.from(signature, 'base64url'));
    await rejectsWithCode(
      verifyPresentation(good.replace(signature, sibling), verifyOptions(club)),
      'malformed_credential',
    );
  });
});
