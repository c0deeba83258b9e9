import { defineConfig } from '@playwright/test';

// End-to-end tests: Debian's Chromium (playwright install cannot download here), the real backend
// as its own process, the real built extension. Screenshots of every test are kept as artifacts.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../test-results/artifacts',
  // Builds the extension when it is missing or older than its sources.
  globalSetup: './support/global-setup.ts',
  // One worker: the extension tests need a persistent browser context each, and the machine has two cores.
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  forbidOnly: true,
  reporter: [['list'], ['./support/summary-reporter.ts']],
  use: {
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
