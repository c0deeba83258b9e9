// The redeem_url page for link credentials (PROTOCOL.md §9): `/redeem#clubpass=<credential>`.
// The credential arrives in the URL fragment, which browsers never send to a server. We take it
// out of the address bar at once, let the member choose which details to share, and send our
// server only the credential cut down to those disclosures, with the PIN that guards it.
(() => {
  const CLAIM_LABELS = {
    given_name: 'First name',
    family_name: 'Last name',
    address: 'Postal address',
    email: 'E-mail address',
    phone_number: 'Phone number',
    membership_number: 'Membership number',
  };

  const match = /^#clubpass=([A-Za-z0-9_~.-]+)$/.exec(window.location.hash);
  // Out of the address bar and the history entry, so it is not bookmarked, shared or restored.
  history.replaceState(null, '', window.location.pathname + window.location.search);

  function decodeSegment(segment) {
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  }

  // Read for display and choice only; the server verifies everything before it counts.
  let credential = null;
  try {
    if (match) {
      const [jwt, ...rest] = match[1].split('~');
      const disclosures = rest
        .filter((segment) => segment !== '')
        .map((encoded) => {
          const [, name, value] = decodeSegment(encoded);
          return { encoded, name, value };
        });
      credential = { jwt, payload: decodeSegment(jwt.split('.')[1]), disclosures };
    }
  } catch {
    credential = null;
  }

  if (credential === null) {
    document.getElementById('redeem-missing').hidden = false;
    return;
  }

  const form = document.getElementById('redeem-form');
  const errorBox = document.getElementById('redeem-error');
  const submit = form.querySelector('button[type=submit]');
  document.getElementById('redeem').hidden = false;
  document.getElementById('redeem-benefit').textContent = credential.payload.benefit?.title ?? 'Clubpass benefit';

  function describe(value) {
    if (value && typeof value === 'object') {
      return [value.street_address, [value.postal_code, value.locality].filter(Boolean).join(' '), value.country]
        .filter(Boolean)
        .join(', ');
    }
    return String(value);
  }

  // One checkbox per detail this merchant asks for and the credential holds, ticked by default.
  const wanted = form.dataset.disclose.split(' ');
  const options = document.getElementById('share-options');
  for (const disclosure of credential.disclosures.filter((d) => wanted.includes(d.name))) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'share';
    box.value = disclosure.name;
    box.checked = true;
    box.dataset.testid = `share-${disclosure.name.replaceAll('_', '-')}`;
    const text = document.createElement('span');
    text.textContent = `${CLAIM_LABELS[disclosure.name] ?? disclosure.name}: ${describe(disclosure.value)}`;
    label.append(box, text);
    options.append(label);
  }

  // Prefill the form from the credential; the member can still change anything.
  const values = Object.fromEntries(credential.disclosures.map((d) => [d.name, d.value]));
  const prefill = { given_name: values.given_name, family_name: values.family_name, ...(values.address ?? {}) };
  for (const [name, value] of Object.entries(prefill)) {
    const input = form.elements.namedItem(name);
    if (!input || typeof value !== 'string') continue;
    if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) {
      input.add(new Option(value, value));
    }
    input.value = value;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    submit.disabled = true;
    const data = new FormData(form);
    const chosen = new Set(data.getAll('share'));
    const presentation = `${credential.jwt}~${credential.disclosures
      .filter((d) => chosen.has(d.name))
      .map((d) => `${d.encoded}~`)
      .join('')}`;
    const body = { presentation };
    for (const [name, value] of data.entries()) if (name !== 'share') body[name] = value;
    try {
      const response = await fetch('/api/redeem-link', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.redirect) {
        window.location.assign(answer.redirect);
        return;
      }
      throw new Error(answer.error?.message ?? 'Something went wrong. Please try again.');
    } catch (error) {
      errorBox.textContent = error.message;
      errorBox.hidden = false;
      submit.disabled = false;
    }
  });
})();
