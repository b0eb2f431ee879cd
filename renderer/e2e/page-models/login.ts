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

  /** 首次注册 on a PC not yet enrolled: the central office's address and the code it issued. */
  async enrol(centralUrl: string, code: string): Promise<void> {
    const form = this.page.getByRole('form', { name: '首次注册' });
    await form.getByLabel('中心地址').fill(centralUrl);
    await form.getByLabel('注册码').fill(code);
    await form.getByRole('button', { name: '注册到中心' }).click();
    await expect(this.page.getByText('本机已注册到中心，请使用中心下发的账号登录')).toBeVisible();
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
