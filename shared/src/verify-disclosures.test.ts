import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { randomBase64url } from './encoding.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { createTestClub, issue, PERSONAL_DETAILS, type TestClub, verifyOptions } from './test-support/club.js';
import {
  bindPresentation,
  disclosureOf,
  encodeDisclosure,
  type ForgeCredentialOptions,
  forgeCredential,
} from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

// Rule 10 of PROTOCOL.md §5. Every forged credential is signed by the club and every
// presentation carries a valid KB-JWT over exactly what is shown, so only rule 10 can object.

let club: TestClub;
before(async () => {
  club = await createTestClub();
});

async function forged(options: ForgeCredentialOptions): Promise<string> {
  return bindPresentation(club, await forgeCredential(club, options));
}

async function expectInvalid(options: ForgeCredentialOptions): Promise<void> {
  await rejectsWithCode(verifyPresentation(await forged(options), verifyOptions(club)), 'invalid_disclosure');
}

/** A presentation of a library-issued credential showing the disclosures `pick` returns, in its order, with a valid KB-JWT. */
async function reshuffled(pick: (disclosures: string[]) => string[]): Promise<string> {
  const [jwt, ...rest] = (await issue(club)).split('~');
  const shown = pick(rest.slice(0, -1));
  return bindPresentation(club, `${jwt}~${shown.map((d) => `${d}~`).join('')}`);
}

test('control: a hand-built disclosure with a 128-bit salt verifies', async () => {
  const result = await verifyPresentation(
    await forged({ disclosures: [disclosureOf('email', 'a@example.org', 16)] }),
    verifyOptions(club),
  );
  assert.deepEqual(result.disclosed, { email: 'a@example.org' });
});

describe('appearing and referencing', () => {
  test('a disclosure shown twice is invalid_disclosure', async () => {
    const token = await reshuffled((ds) => [ds[0] as string, ds[0] as string]);
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_disclosure');
  });

  test('a disclosure whose digest appears twice in _sd is invalid_disclosure', async () => {
    await expectInvalid({ disclosures: [disclosureOf('email', 'a@example.org')], digests: (ds) => [...ds, ...ds] });
  });

  test('a disclosure that no digest references is invalid_disclosure', async () => {
    await expectInvalid({ disclosures: [disclosureOf('email', 'a@example.org')], digests: () => [] });
  });

  test('a disclosure lifted from another credential is invalid_disclosure', async () => {
    const [, ...theirs] = (await issue(club)).split('~');
    const token = await reshuffled((ds) => [ds[0] as string, theirs[0] as string]);
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_disclosure');
  });

  test('the same claim name disclosed twice under different salts is invalid_disclosure', async () => {
    await expectInvalid({
      disclosures: [disclosureOf('email', 'a@example.org'), disclosureOf('email', 'b@example.org')],
    });
  });
});

describe('the salt', () => {
  test('a salt of 15 bytes is invalid_disclosure; 16 bytes is accepted', async () => {
    await expectInvalid({ disclosures: [disclosureOf('email', 'a@example.org', 15)] });
    await verifyPresentation(
      await forged({ disclosures: [disclosureOf('email', 'a@example.org', 16)] }),
      verifyOptions(club),
    );
  });

  test('a salt that is not strict base64url, or not a string, is invalid_disclosure', async () => {
    const salt = randomBase64url(18);
    for (const bad of [`${salt}==`, `${salt} `, 'not base64url at all!', `${salt}+/`, 1234567890, null]) {
      await expectInvalid({ disclosures: [encodeDisclosure([bad, 'email', 'a@example.org'])] });
    }
  });
});

describe('the name', () => {
  for (const name of ['_sd', '...', '_sd_alg']) {
    test(`a disclosure naming "${name}" is invalid_disclosure`, () =>
      expectInvalid({ disclosures: [disclosureOf(name, ['x'])] }));
  }

  // Disclosing a plain claim would let a holder "override" what the club signed, e.g. cnf.
  for (const name of ['sub', 'aud', 'cnf', 'benefit']) {
    test(`a disclosure naming the plain-text claim "${name}" is invalid_disclosure`, () =>
      expectInvalid({ disclosures: [disclosureOf(name, { jwk: {} })] }));
  }

  test('a name that is not a string is invalid_disclosure', async () => {
    for (const name of [1, null, ['email'], { email: true }]) {
      await expectInvalid({ disclosures: [encodeDisclosure([randomBase64url(16), name, 'x'])] });
    }
  });

  test('"__proto__" is disclosed as a plain own property and pollutes nothing', async () => {
    const result = await verifyPresentation(
      await forged({ disclosures: [disclosureOf('__proto__', { polluted: true })] }),
      verifyOptions(club),
    );
    assert.ok(Object.hasOwn(result.disclosed, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(result.disclosed, '__proto__')?.value, { polluted: true });
    assert.equal(Object.getPrototypeOf(result.disclosed), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('the shape', () => {
  test('a 2-element (array-element) disclosure is invalid_disclosure', () =>
    expectInvalid({ disclosures: [encodeDisclosure([randomBase64url(16), 'a@example.org'])] }));

  test('anything but a 3-element array is invalid_disclosure', async () => {
    const salt = randomBase64url(16);
    for (const value of [
      [salt, 'email', 'a', 'extra'],
      [salt],
      [],
      { 0: salt, 1: 'email', 2: 'a' },
      'email',
      7,
      null,
    ]) {
      await expectInvalid({ disclosures: [encodeDisclosure(value)] });
    }
  });
});

describe('order around rule 10', () => {
  test('invalid_claims (rule 9) beats a bad disclosure', async () => {
    const token = await forged({ claims: { sub: undefined }, disclosures: [disclosureOf('_sd', [])] });
    await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_claims');
  });

  test('a bad disclosure beats a missing KB-JWT (rule 11) and a wrong nonce (rule 12)', async () => {
    const credential = await forgeCredential(club, { disclosures: [disclosureOf('email', 'a', 8)] });
    await rejectsWithCode(verifyPresentation(credential, verifyOptions(club)), 'invalid_disclosure');
    const shown = await bindPresentation(club, credential, { payload: { nonce: 'other' } });
    await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'invalid_disclosure');
  });

  test('every disclosure of a library-issued credential passes rule 10', async () => {
    const token = await reshuffled((ds) => ds);
    assert.deepEqual((await verifyPresentation(token, verifyOptions(club))).disclosed, PERSONAL_DETAILS);
  });
});
