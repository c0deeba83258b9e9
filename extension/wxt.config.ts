import { defineConfig } from 'wxt';

/**
 * Clubpass extension build (WXT, Manifest V3, Chromium first).
 * Permissions are the minimum the features need; README.md explains each one.
 */
export default defineConfig({
  srcDir: 'src',
  outDir: '.output',
  imports: false,
  manifestVersion: 3,
  manifest: ({ browser }) => ({
    name: 'Clubpass',
    description: 'Your club membership benefits, shared with partner shops only when you say so.',
    permissions: ['storage', 'alarms'],
    // The default club (the local demo). Any other club is asked for at run time from the options page.
    host_permissions: ['http://127.0.0.1/*'],
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://[::1]/*'],
    action: { default_title: 'Clubpass' },
    // Built from src/entrypoints/clubpass-content.ts (see the note there on why it is declared here).
    content_scripts: [
      { matches: ['<all_urls>'], js: ['clubpass-content.js'], run_at: 'document_start', all_frames: false },
    ],
    content_security_policy: {
      extension_pages:
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'; img-src 'self' data:; style-src 'self'; " +
        "connect-src 'self' https: http://127.0.0.1:* http://localhost:* http://[::1]:*",
    },
    // Firefox (built with `npm run build:firefox`, not tested in CI): Ed25519 in WebCrypto needs 129+.
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'extension@clubpass.invalid', strict_min_version: '129.0' } } }
      : {}),
  }),
});
