// Prints the stored presentations of shared/fixtures/clubpass/presentations.json:
//   node --import tsx shared/src/test-support/make-presentation-fixture.ts > shared/fixtures/clubpass/presentations.json
// Fresh keys and salts each run; the stored file is what makes the tests reproducible.
import { buildJwks } from '../jwks.js';
import { verifyPresentation } from '../verify-presentation.js';
import { NOW } from './clock.js';
import { AUDIENCE, createTestClub, ISSUER, NONCE, ORIGIN, presentation, verifyOptions } from './club.js';

const cases = [];
for (const alg of ['EdDSA', 'ES256'] as const) {
  const club = await createTestClub({ issuerAlg: alg, holderAlg: alg });
  const shown = await presentation(club);
  const { claims, disclosed, jti, kid, cnf, keyBinding } = await verifyPresentation(shown, verifyOptions(club));
  cases.push({
    alg,
    jwks: await buildJwks([club.issuer.publicJwk]),
    presentation: shown,
    expected: { claims, disclosed, jti, kid, cnf, keyBinding },
  });
}

const fixture = {
  description:
    'Clubpass v1 presentations made by issueCredential + presentCredential, verified at "now" with these options. ' +
    'A presentation that stops verifying means the wire format changed.',
  now: NOW.toISOString(),
  issuer: ISSUER,
  audience: AUDIENCE,
  origin: ORIGIN,
  nonce: NONCE,
  cases,
};
console.log(JSON.stringify(fixture, null, 2));
