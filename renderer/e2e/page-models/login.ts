import { expect, type Page } from '@playwright/test';
import { pickOption } from './antd';

export class LoginPage {
  constructor(
    readonly page: Page,
    readonly url: string,
  ) {}

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await expect(this.page.getByRole('heading', { name: /综合柜员登录/ })).toBeVisible();
  }

  async login(username: string, password: string, windowNo?: number): Promise<void> {
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码').fill(password);
    if (windowNo !== undefined) {
      await this.page.getByLabel('窗口').click();
      await pickOption(this.page, `${windowNo}号窗口`);
    }
    await this.page
      .getByRole('button', { name: '登 录' })
      .or(this.page.getByRole('button', { name: '登录' }))
      .click();
  }

  error() {
    return this.page.getByRole('alert');
  }
}
