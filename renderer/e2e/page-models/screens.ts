import type { Browser, Page } from '@playwright/test';

/** A hall screen (kiosk, display, evaluator) in its own browser context, as a separate device on the LAN would be. */
export async function openScreen(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}
