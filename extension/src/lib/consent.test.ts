import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AFF_SHOP, createClub, SHOP_ORIGIN, storedCredential } from '../test-support/fixtures.js';
import {
  buildConsentView,
  checkDecision,
  decisionOf,
  formatClaimValue,
  initialSelection,
  selectCredential,
  toggleDetail,
  uncheckedRequirements,
} from './consent.js';

async function setup() {
  const club = await createClub();
  const full = await storedCredential(club, { requires: ['address'] });
  const slim = await storedCredential(club, { details: { email: 'slim@example.org' } });
  const view = buildConsentView({
    requestId: 'r1',
    origin: SHOP_ORIGIN,
    affiliates: [{ id: AFF_SHOP, name: 'Shop', origins: [SHOP_ORIGIN] }],
    requested: ['email', 'phone_number', 'address'],
    offered: [full, slim],
  });
  return { club, full, slim, view };
}

describe('consent view', () => {
  it('shows each requested detail the credential holds, with its value, and the missing ones', async () => {
    const { view, full } = await setup();
    assert.equal(view.origin, SHOP_ORIGIN);
    assert.deepEqual(view.affiliates, [{ id: AFF_SHOP, name: 'Shop' }]);
    const option = view.credentials[0];
    assert.equal(option?.id, full.id);
    assert.deepEqual(
      option?.details.map((d) => [d.name, d.value]),
      [
        ['email', 'ada@example.org'],
        ['address', '12 St James Square, SW1Y 4JH London, GB'],
      ],
    );
    assert.deepEqual(option?.missing, ['phone_number']);
    assert.deepEqual(option?.requires, ['address']);
  });

  it('pre-checks every requested detail, lets the member untick, and re-checks on switching credential', async () => {
    const { view, full, slim } = await setup();
    let selection = initialSelection(view);
    assert.equal(selection.credentialId, full.id);
    assert.deepEqual([...selection.checked].sort(), ['address', 'email']);
    selection = toggleDetail(view, selection, 'address');
    assert.deepEqual([...selection.checked], ['email']);
    assert.deepEqual(uncheckedRequirements(view, selection), ['address']);
    // A detail the credential does not hold cannot be ticked.
    assert.deepEqual([...toggleDetail(view, selection, 'phone_number').checked], ['email']);
    assert.deepEqual(decisionOf(view, selection), { share: true, credentialId: full.id, disclose: ['email'] });
    selection = selectCredential(view, slim.id);
    assert.deepEqual([...selection.checked], ['email']);
    assert.deepEqual(selectCredential(view, 'crd_unknown'), { credentialId: null, checked: new Set() });
    assert.equal(decisionOf(view, { credentialId: null, checked: new Set() }), null);
  });

  it('formats claim values', () => {
    assert.equal(formatClaimValue('x'), 'x');
    assert.equal(formatClaimValue({ locality: 'Berlin', country: 'DE' }), 'Berlin, DE');
    assert.equal(formatClaimValue(undefined), '');
  });
});

describe('checkDecision', () => {
  it('lets the member narrow the request, never widen it', async () => {
    const { full, slim } = await setup();
    const offered = [full, slim];
    const requested = ['email', 'address'];
    assert.deepEqual(checkDecision({ share: false }, offered, requested), { share: false });
    const ok = checkDecision({ share: true, credentialId: full.id, disclose: ['email', 'email'] }, offered, requested);
    assert.ok('share' in ok && ok.share && ok.credential.id === full.id);
    assert.deepEqual('share' in ok && ok.share ? ok.disclose : null, ['email']);
    // Not requested by the page.
    assert.ok(
      'invalid' in checkDecision({ share: true, credentialId: full.id, disclose: ['given_name'] }, offered, requested),
    );
    // Requested but not in this credential.
    assert.ok(
      'invalid' in checkDecision({ share: true, credentialId: slim.id, disclose: ['address'] }, offered, requested),
    );
    // Not an offered credential.
    assert.ok('invalid' in checkDecision({ share: true, credentialId: 'crd_other', disclose: [] }, offered, requested));
  });
});
