import type { Page } from '@playwright/test';

/** Clicks a visible option of the open antd Select (its role=option nodes are an offscreen aria list). */
export async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: typeof text === 'string' ? new RegExp(`^${text}$`) : text })
    .click();
}
