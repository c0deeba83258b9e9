import type { Page, TestInfo } from '@playwright/test';

/**
 * Screenshots `page` into the test's artifact folder (test-results/artifacts/<test>/<name>.png)
 * and attaches it to the report, so every step can be looked at afterwards.
 */
export async function snap(testInfo: TestInfo, page: Page, name: string, fullPage = true): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
