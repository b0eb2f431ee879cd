import { expect, type Page } from '@playwright/test';
import type { LoginPage } from './login';

/** The admin's 大厅设备 page: the pairing addresses of the hall's screens. */
export async function hallDeviceUrls(
  page: Page,
  loginPage: LoginPage,
): Promise<{ kiosk: string; display: string; evaluator: (windowNo: number) => string }> {
  await loginPage.open();
  await loginPage.login('admin', 'admin123', 1);
  await page.getByRole('link', { name: '大厅设备' }).click();
  const urls = page.getByTestId('device-url');
  await expect(urls.first()).toContainText('device=');
  const all = (await urls.allTextContents()).map((t) => t.trim());
  await page.getByRole('button', { name: /退\s*出/ }).click();
  const find = (part: string) => {
    const url = all.find((u) => u.includes(part));
    if (!url) throw new Error(`no pairing address with ${part}`);
    return url;
  };
  return {
    kiosk: find('device=kiosk'),
    display: find('device=display'),
    evaluator: (w) => find(`device=evaluator`).replace(/window=\d+/, `window=${w}`),
  };
}

/** The teller's 叫号 page and its queue panel. */
export class HallPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: '叫号' }).click();
    await expect(this.panel()).toBeVisible();
  }

  panel() {
    return this.page.getByTestId('queue-panel');
  }

  current() {
    return this.panel().getByLabel('当前号码');
  }

  /** antd spaces out two-character button labels (重 呼), so the name is matched with optional spaces. */
  async press(name: string): Promise<void> {
    await this.panel()
      .getByRole('button', { name: new RegExp(`^${[...name].join('\\s*')}$`) })
      .click();
  }

  /** The tickets waiting for this window, in calling order. */
  waiting() {
    return this.page.getByLabel('等候号码').getByTestId('waiting-ticket');
  }
}
