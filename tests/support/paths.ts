import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built extension, as `npm run build:extension` leaves it. */
export const EXTENSION_DIR = fileURLToPath(new URL('../../extension/.output/chrome-mv3', import.meta.url));
/** Debian's Chromium (Playwright cannot download its own browsers here). */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
