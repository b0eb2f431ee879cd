import { expect, type Page } from '@playwright/test';
import type { LoginPage } from './login';
import { pickOption } from './antd';

/** Enrols one device on the admin's 大厅设备 page and returns what the page shows once: its address, or a counter's key. */
export async function enrolDevice(page: Page, kind: '取号机' | '叫号屏' | '评价器' | '窗口终端', windowNo?: number): Promise<string> {
  await page.getByRole('button', { name: '添加设备' }).click();
  const dialog = page.getByRole('dialog', { name: '添加大厅设备' });
  await dialog.getByLabel('设备类型').click();
  await pickOption(page, kind);
  if (windowNo !== undefined) {
    await dialog.getByLabel('所属窗口').click();
    await pickOption(page, `${windowNo}号窗口`);
  }
  await dialog.getByRole('button', { name: /添\s*加/ }).click();
  const shown = page.getByRole('dialog', { name: /设备配对信息/ });
  const value = shown.getByTestId(kind === '窗口终端' ? 'device-key' : 'device-url');
  await expect(value).toBeVisible();
  const text = (await value.textContent())!.trim();
  await shown.getByRole('button', { name: '已记下' }).click();
  await expect(shown).toBeHidden();
  return text;
}

/** Enrols a kiosk, a display and the evaluators of the given windows, as the admin, and signs out. */
export async function hallDeviceUrls(
  page: Page,
  loginPage: LoginPage,
  evaluatorWindows: readonly number[] = [1],
): Promise<{ kiosk: string; display: string; evaluator: (windowNo: number) => string }> {
  await loginPage.open();
  await loginPage.login('admin', 'admin123', 1);
  await page.getByRole('link', { name: '大厅设备' }).click();
  const kiosk = await enrolDevice(page, '取号机');
  const display = await enrolDevice(page, '叫号屏');
  const evaluators = new Map<number, string>();
  for (const w of evaluatorWindows) evaluators.set(w, await enrolDevice(page, '评价器', w));
  await page.getByRole('button', { name: /退\s*出/ }).click();
  return {
    kiosk,
    display,
    evaluator: (w) => {
      const url = evaluators.get(w);
      if (!url) throw new Error(`no evaluator enrolled for window ${w}`);
      return url;
    },
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
