/*
 * Clubpass snippet v1 (PROTOCOL.md §9). Served by the club at /snippet/v1.js; affiliates embed it:
 *   <script src="https://club.example/snippet/v1.js" data-affiliate="aff_..." async></script>
 * It defines window.Clubpass.request({ nonce, disclose }) -> Promise<presentation string>.
 * No dependencies, no eval, no inline code: it works under a strict Content-Security-Policy.
 *
 * Messages (same window only, never to '*'):
 *   page -> extension  { clubpass: 1, type: 'request', id, nonce, disclose }
 *   extension -> page  { clubpass: 1, type: 'ack', id }            the member is being asked
 *                      { clubpass: 1, type: 'response', id, presentation } or { ..., error: 'unavailable' }
 */
(() => {
  if (window.Clubpass && window.Clubpass.version === 1) return;

  var ACK_WINDOW_MS = 1500;
  var DEFAULT_TIMEOUT_MS = 120000;
  var script = document.currentScript;
  var affiliate = script ? script.getAttribute('data-affiliate') : null;

  function fail(code, message) {
    var error = new Error(message);
    error.code = code;
    return error;
  }

  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, (b) => (b + 0x100).toString(16).slice(1)).join('');
  }

  function request(options) {
    var nonce = options?.nonce;
    var disclose = options?.disclose || [];
    var timeoutMs = options?.timeoutMs || DEFAULT_TIMEOUT_MS;
    if (typeof nonce !== 'string' || nonce.length === 0) {
      return Promise.reject(
        fail('invalid_request', 'Clubpass.request needs the nonce your server got from POST /v1/nonces'),
      );
    }
    if (!Array.isArray(disclose) || !disclose.every((d) => typeof d === 'string')) {
      return Promise.reject(fail('invalid_request', 'disclose must be a list of claim names'));
    }
    return new Promise((resolve, reject) => {
      var id = randomId();
      var acknowledged = false;
      var timers = [];
      function done() {
        window.removeEventListener('message', onMessage);
        timers.forEach(clearTimeout);
      }
      function onMessage(event) {
        // Only the extension's content script, speaking in this very window, is listened to.
        if (event.source !== window || event.origin !== window.location.origin) return;
        var data = event.data;
        if (data?.clubpass !== 1 || data.id !== id) return;
        if (data.type === 'ack') {
          acknowledged = true;
          return;
        }
        if (data.type !== 'response') return;
        done();
        if (typeof data.presentation === 'string') resolve(data.presentation);
        else reject(fail('unavailable', 'Clubpass is not available for this request'));
      }
      window.addEventListener('message', onMessage);
      // No extension answers within the window: unavailable, the same code as a member who declines.
      timers.push(
        setTimeout(() => {
          if (acknowledged) return;
          done();
          reject(fail('unavailable', 'Clubpass is not available for this request'));
        }, ACK_WINDOW_MS),
      );
      timers.push(
        setTimeout(() => {
          done();
          reject(fail('timeout', 'the member did not answer in time'));
        }, timeoutMs),
      );
      window.postMessage(
        { clubpass: 1, type: 'request', id: id, affiliate: affiliate, nonce: nonce, disclose: disclose.slice() },
        window.location.origin,
      );
    });
  }

  Object.defineProperty(window, 'Clubpass', {
    value: Object.freeze({ version: 1, affiliate: affiliate, request: request }),
    writable: false,
    configurable: false,
  });
})();
