// The console's page behaviour. A static file (CSP script-src 'self'): no inline scripts or handlers.
(() => {
  // A page that shows a secret once (a new API key) replaces its own URL, so reloading it asks
  // the server for the ordinary page instead of repeating the form that created the key.
  const replaceUrl = document.body.dataset.replaceUrl;
  if (replaceUrl?.startsWith('/console/')) window.history.replaceState(null, '', replaceUrl);

  // Copy buttons: <button data-copy="input-id">, with an optional status line data-copy-status="input-id".
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const id = button.dataset.copy;
      const input = document.getElementById(id);
      const status = document.querySelector(`[data-copy-status="${id}"]`);
      if (!input) return;
      let copied = false;
      try {
        await navigator.clipboard.writeText(input.value);
        copied = true;
      } catch {
        input.focus();
        input.select();
        copied = document.execCommand?.('copy') ?? false;
      }
      if (status) status.textContent = copied ? 'Copied to the clipboard.' : 'Select the key and copy it.';
      if (copied) button.textContent = 'Copied';
    });
  }

  // A form with errors: move focus to the summary so keyboard and screen reader users land on it.
  const summary = document.querySelector('.error-summary[tabindex]');
  if (summary) summary.focus();
})();
