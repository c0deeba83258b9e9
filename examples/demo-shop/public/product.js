// The product page's one job for Clubpass: get a presentation from the member's extension and
// hand it to our server. Nothing here decides anything: only the server's checks (offline, then
// with the club) unlock the member price, and the presentation is kept on the server.
(() => {
  const button = document.getElementById('use-membership');
  const status = document.getElementById('membership-status');
  const errorBox = document.getElementById('membership-error');
  if (!button) return;

  function show(message, isError) {
    status.textContent = isError ? '' : message;
    errorBox.textContent = isError ? message : '';
    errorBox.hidden = !isError;
  }

  async function postJson(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error?.message ?? 'Something went wrong. Please try again.');
    return answer;
  }

  // The snippet rejects with 'unavailable' both when there is no extension and when the member
  // declines: the page cannot tell which, by design, so the message covers both.
  const SNIPPET_ERRORS = {
    unavailable:
      'No Clubpass membership was shared. If you are a member, install the Clubpass extension and sign in, then try again.',
    timeout: 'The Clubpass request timed out. Please try again.',
  };

  button.addEventListener('click', async () => {
    if (!window.Clubpass) {
      show('Clubpass could not be loaded. Please reload the page and try again.', true);
      return;
    }
    button.disabled = true;
    show('Asking Clubpass…', false);
    try {
      const { nonce } = await postJson('/api/nonce');
      show('Please confirm in your Clubpass extension…', false);
      let presentation;
      try {
        presentation = await window.Clubpass.request({ nonce, disclose: button.dataset.disclose.split(' ') });
      } catch (error) {
        throw new Error(SNIPPET_ERRORS[error.code] ?? 'Clubpass is not available right now.');
      }
      show('Checking your membership…', false);
      await postJson('/api/verify', { presentation, nonce });
      // The server now knows the membership: reload to show the member price it renders.
      window.location.reload();
    } catch (error) {
      show(error.message, true);
      button.disabled = false;
    }
  });
})();
