import { expect, type Page } from '@playwright/test';
import { pickOption } from './antd';

/** antd spaces out two-character button labels (保 存), so names are matched with optional spaces. */
const label = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

export interface CategoryInput {
  code?: string;
  name?: string;
  /** A kind as the select shows it: 综合业务, 领件, 咨询, 绿色通道. */
  kind?: string;
  numberFrom?: number;
  numberTo?: number;
  windows?: readonly number[];
}

/** The admin's 叫号设置 page: calling rules, ticket categories and the category editor. */
export class QueueSettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: '叫号设置' }).click();
    await expect(this.page.getByText('叫号规则')).toBeVisible();
  }

  /** Leaves the page and opens it again, so it shows what the core holds (a browser reload would end the session). */
  async reopen(): Promise<void> {
    await this.page.getByRole('link', { name: '评价统计' }).click();
    await this.open();
  }

  /** The table row of a category, by its prefix. */
  row(code: string) {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('cell', { name: code, exact: true }) });
  }

  /** Category rows (the header row excluded). */
  rows() {
    return this.page.getByRole('row').filter({ has: this.page.getByRole('cell') });
  }

  editor() {
    return this.page.getByRole('dialog', { name: /号类/ });
  }

  async add(): Promise<void> {
    await this.page.getByRole('button', { name: label('新增号类') }).click();
    await expect(this.editor()).toBeVisible();
  }

  /** Fills the open editor; nothing is submitted. */
  async fill(input: CategoryInput): Promise<void> {
    const editor = this.editor();
    if (input.code !== undefined) await editor.getByLabel('前缀').fill(input.code);
    if (input.name !== undefined) await editor.getByLabel('名称').fill(input.name);
    if (input.kind !== undefined) {
      await editor.getByLabel('类型').click();
      await pickOption(this.page, input.kind);
    }
    if (input.numberFrom !== undefined) await editor.getByLabel('号段起').fill(String(input.numberFrom));
    if (input.numberTo !== undefined) await editor.getByLabel('号段止').fill(String(input.numberTo));
    for (const w of input.windows ?? []) await editor.getByRole('checkbox', { name: `${w}号窗口` }).check();
  }

  async confirm(): Promise<void> {
    await this.editor()
      .getByRole('button', { name: label('确定') })
      .click();
  }

  /** The message shown under a field of the editor. */
  fieldError(field: string) {
    return this.editor()
      .locator('.ant-form-item')
      .filter({ has: this.page.getByLabel(field) })
      .locator('.ant-form-item-explain-error');
  }

  saveButton() {
    return this.page.getByRole('button', { name: /^(保\s*存|已保存)$/ });
  }

  async save(): Promise<void> {
    await this.saveButton().click();
  }
}
