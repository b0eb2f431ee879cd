import { expect, type Locator, type Page } from '@playwright/test';
import { pickOption } from './antd';

/** The counter workbench, driven as a teller would: search box, item picker, materials, form, F-keys. */
export class CounterPage {
  constructor(readonly page: Page) {}

  async registerPerson(idNumber: string, name: string): Promise<void> {
    await this.page.getByLabel('查询参保人或单位').fill(idNumber);
    await this.page.getByLabel('查询参保人或单位').press('Enter');
    await this.page.getByRole('button', { name: '新登记参保人' }).click();
    const form = this.page.getByRole('form', { name: '新登记参保人' });
    await expect(form.getByLabel('证件号码')).toHaveValue(idNumber);
    await form.getByLabel('姓名').fill(name);
    await form.getByRole('button', { name: /登\s*记/ }).click();
    await expect(this.page.getByTestId('person-card')).toContainText(name);
  }

  async findPerson(query: string): Promise<void> {
    await this.page.getByLabel('查询参保人或单位').fill(query);
    await this.page.getByLabel('查询参保人或单位').press('Enter');
  }

  async chooseItem(code: string): Promise<void> {
    await this.page.keyboard.press('F3');
    await this.page.keyboard.type(code);
    await pickOption(this.page, new RegExp(`^${code} `));
  }

  material(name: string): Locator {
    return this.page.getByRole('list', { name: '材料清单' }).getByRole('listitem', { name, exact: true });
  }

  async mark(material: string, status: '已收' | '未带' | '数据核验'): Promise<void> {
    await this.material(material).getByText(status, { exact: true }).click();
  }

  field(label: string): Locator {
    return this.page.getByRole('form', { name: '事项表单' }).getByLabel(label);
  }

  async select(label: string, option: string): Promise<void> {
    await this.field(label).click();
    await pickOption(this.page, option);
  }

  /** N2 社会保障卡启用 for the person on screen: accepted and finished on the spot (已出件). */
  async activateCard(cardNumber = 'A00000001'): Promise<void> {
    await this.chooseItem('N2');
    await this.mark('居民身份证或社会保障卡', '已收');
    await this.mark('社会保障卡', '已收');
    await this.field('社会保障卡卡号').fill(cardNumber);
    await this.page.keyboard.press('F9');
    await expect(this.outcome()).toContainText('已出件');
  }

  /** N2 for a person registered first: returns the 受理编号 of the case, finished on the spot. */
  async acceptCardActivation(idNumber: string, name: string): Promise<string> {
    await this.registerPerson(idNumber, name);
    await this.activateCard();
    return this.caseNo();
  }

  /** The 受理编号 of the case just accepted, as the outcome shows it. */
  async caseNo(): Promise<string> {
    return /受理编号 (\S+)，/.exec((await this.outcome().textContent())!)![1]!;
  }

  outcome(): Locator {
    return this.page.getByTestId('accept-outcome');
  }

  documents(): Locator {
    return this.page.getByTestId('documents');
  }
}
