import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { generateKeyPair } from './generate-key-pair.js';
import { presentCredential } from './present-credential.js';
import { rejectsWithCode } from './test-support/assert-code.js';
import { clockAt, NOW_SECONDS } from './test-support/clock.js';
import {
  createTestClub,
  issue,
  NONCE,
  ORIGIN,
  present,
  presentation,
  type TestClub,
  verifyOptions,
} from './test-support/club.js';
import { bindPresentation, type KeyBindingOptions } from './test-support/forge.js';
import { verifyPresentation } from './verify-presentation.js';

// Rules 11 and 12 of PROTOCOL.md §5, on credentials the library issued. KB-JWTs are made by
// presentCredential where it can make them and by bindPresentation where it refuses to.

let club: TestClub;
let credential: string;
/** The credential with email and address chosen, before any KB-JWT: what sd_hash covers. */
let prefix: string;

before(async () => {
  club = await createTestClub();
  credential = await issue(club);
  const shown = await present(club, credential);
  prefix = shown.slice(0, shown.lastIndexOf('~') + 1);
});

async function bound(options: KeyBindingOptions) {
  return bindPresentation(club, prefix, options);
}

test('control: a hand-made KB-JWT over the presented prefix verifies', async () => {
  const result = await verifyPresentation(await bound({}), verifyOptions(club));
  assert.deepEqual(result.keyBinding, { iat: NOW_SECONDS, aud: ORIGIN, nonce: NONCE });
});

describe('rule 11: a holder-bound credential needs a KB-JWT', () => {
  test('the credential alone, or with its chosen disclosures, is holder_binding_required', async () => {
    await rejectsWithCode(verifyPresentation(credential, verifyOptions(club)), 'holder_binding_required');
    await rejectsWithCode(verifyPresentation(prefix, verifyOptions(club)), 'holder_binding_required');
  });

  test('a verifier passing null origin and nonce does not switch it off', async () => {
    await rejectsWithCode(
      verifyPresentation(prefix, verifyOptions(club, { origin: null, nonce: null })),
      'holder_binding_required',
    );
  });
});

describe('rule 12: invalid_key_binding', () => {
  test('a KB-JWT signed by another key is invalid_key_binding', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const other = await generateKeyPair(alg, { extractable: false });
      const shown = await present(club, credential, { signWith: other });
      await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'invalid_key_binding');
    }
  });

  test('a KB-JWT typ other than kb+jwt is invalid_key_binding', async () => {
    for (const typ of ['JWT', 'dc+sd-jwt', 'KB+JWT', undefined]) {
      await rejectsWithCode(
        verifyPresentation(await bound({ header: { typ } }), verifyOptions(club)),
        'invalid_key_binding',
      );
    }
  });

  test('a KB-JWT alg that is not the holder key alg, or none, is invalid_key_binding', async () => {
    for (const alg of ['ES256', 'none', 'HS256', undefined]) {
      await rejectsWithCode(
        verifyPresentation(await bound({ header: { alg } }), verifyOptions(club)),
        'invalid_key_binding',
      );
    }
  });

  test('a crit header on the KB-JWT is invalid_key_binding', async () => {
    const shown = await bound({ header: { crit: ['exp'], exp: 1 } });
    await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'invalid_key_binding');
  });

  test('removing a disclosure after signing breaks sd_hash: invalid_key_binding', async () => {
    const shown = await present(club, credential);
    const parts = shown.split('~');
    parts.splice(1, 1);
    await rejectsWithCode(verifyPresentation(parts.join('~'), verifyOptions(club)), 'invalid_key_binding');
  });

  test('adding or reordering disclosures after signing breaks sd_hash: invalid_key_binding', async () => {
    const all = credential.split('~');
    const shown = (await present(club, credential)).split('~');
    const extra = all.find((d) => !shown.includes(d)) as string;
    const added = [shown[0], shown[1], extra, ...shown.slice(2)].join('~');
    const swapped = [shown[0], shown[2], shown[1], shown[3]].join('~');
    for (const token of [added, swapped]) {
      await rejectsWithCode(verifyPresentation(token, verifyOptions(club)), 'invalid_key_binding');
    }
  });

  test('an sd_hash that is missing, of another encoding, or over the KB-less string without its last ~ is invalid_key_binding', async () => {
    const hex = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(prefix))).toString('hex');
    const noTilde = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(prefix.slice(0, -1))),
    ).toString('base64url');
    for (const sd_hash of [undefined, hex, noTilde]) {
      await rejectsWithCode(
        verifyPresentation(await bound({ payload: { sd_hash } }), verifyOptions(club)),
        'invalid_key_binding',
      );
    }
  });

  test('a KB-JWT iat that is not a number is invalid_key_binding', async () => {
    for (const iat of [undefined, String(NOW_SECONDS), null]) {
      await rejectsWithCode(
        verifyPresentation(await bound({ payload: { iat } }), verifyOptions(club)),
        'invalid_key_binding',
      );
    }
  });

  test('a link credential carrying a KB-JWT is invalid_key_binding', async () => {
    const link = await presentCredential({
      credential: await issue(club, { link: true }),
      disclose: [],
      keyBinding: null,
    });
    await rejectsWithCode(
      verifyPresentation(await bindPresentation(club, link), verifyOptions(club)),
      'invalid_key_binding',
    );
  });

  test('a holder key that is not a point on the curve is invalid_key_binding, not a crash', async () => {
    const es256 = await createTestClub({ holderAlg: 'ES256' });
    // From Wycheproof json_web_key_test.json "invalid_point": y is changed, so the point is off P-256.
    const offCurve = {
      kty: 'EC',
      crv: 'P-256',
      x: '04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY',
      y: 'UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgnw',
    };
    const shown = await presentation(es256, { claims: { cnf: { jwk: offCurve } } });
    await rejectsWithCode(verifyPresentation(shown, verifyOptions(es256)), 'invalid_key_binding');
  });
});

describe('rule 12: origin, nonce and time', () => {
  test('a KB-JWT for another origin is origin_mismatch', async () => {
    for (const origin of ['https://evil.example', `${ORIGIN}/`, 'https://shop.example:443', 'http://shop.example']) {
      const shown = await presentation(club, { origin });
      await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'origin_mismatch');
    }
  });

  test('a verifier with no expected origin refuses a holder-bound credential: origin_mismatch', async () => {
    await rejectsWithCode(
      verifyPresentation(await presentation(club), verifyOptions(club, { origin: null })),
      'origin_mismatch',
    );
  });

  test('a KB-JWT aud that is an array holding the origin is origin_mismatch', async () => {
    await rejectsWithCode(
      verifyPresentation(await bound({ payload: { aud: [ORIGIN] } }), verifyOptions(club)),
      'origin_mismatch',
    );
  });

  test('a KB-JWT with another nonce, or none, is nonce_mismatch', async () => {
    for (const nonce of ['other', `${NONCE} `, '', undefined]) {
      await rejectsWithCode(
        verifyPresentation(await bound({ payload: { nonce } }), verifyOptions(club)),
        'nonce_mismatch',
      );
    }
    await rejectsWithCode(
      verifyPresentation(await presentation(club), verifyOptions(club, { nonce: null })),
      'nonce_mismatch',
    );
  });

  test('KB iat = now - 300 is accepted, now - 301 is key_binding_expired', async () => {
    await verifyPresentation(await presentation(club, { clock: clockAt(-300) }), verifyOptions(club));
    await rejectsWithCode(
      verifyPresentation(await presentation(club, { clock: clockAt(-301) }), verifyOptions(club)),
      'key_binding_expired',
    );
  });

  test('KB iat = now + 60 is accepted, now + 61 is key_binding_expired', async () => {
    await verifyPresentation(await presentation(club, { clock: clockAt(60) }), verifyOptions(club));
    await rejectsWithCode(
      verifyPresentation(await presentation(club, { clock: clockAt(61) }), verifyOptions(club)),
      'key_binding_expired',
    );
  });
});

describe('order within rule 12', () => {
  test('a broken sd_hash beats a wrong origin, nonce and age', async () => {
    const shown = await bound({ payload: { sd_hash: 'x', aud: 'https://evil.example', nonce: 'n', iat: 0 } });
    await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'invalid_key_binding');
  });

  test('origin_mismatch beats nonce_mismatch and key_binding_expired', async () => {
    const shown = await bound({ payload: { aud: 'https://evil.example', nonce: 'n', iat: 0 } });
    await rejectsWithCode(verifyPresentation(shown, verifyOptions(club)), 'origin_mismatch');
  });

  test('nonce_mismatch beats key_binding_expired', async () => {
    await rejectsWithCode(
      verifyPresentation(await bound({ payload: { nonce: 'n', iat: 0 } }), verifyOptions(club)),
      'nonce_mismatch',
    );
  });
});
