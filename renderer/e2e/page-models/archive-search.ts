import { expect, type Locator, type Page } from '@playwright/test';

/** 档案查询: the search form, its result table, and the drawer a row opens (the case with its 卷内目录). */
export class ArchiveSearchPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '档案查询' }).click();
    await expect(this.page.getByRole('heading', { name: '档案查询' })).toBeVisible();
  }

  field(label: '申请人' | '单位' | '档号'): Locator {
    return this.page.getByRole('form', { name: '查询条件' }).getByLabel(label, { exact: true });
  }

  /** Clears the form, fills one field and presses Enter, as a teller would. */
  async searchBy(label: '申请人' | '单位' | '档号', text: string): Promise<void> {
    await this.page.getByRole('button', { name: /重\s*置/ }).click();
    await this.field(label).fill(text);
    await this.field(label).press('Enter');
  }

  /**
   * Picks a state. Closing the drawer gives the focus back to the row that opened it a moment later, which closes a
   * dropdown opened meanwhile: so it tries again until the choice shows.
   */
  async filterState(state: '未封存' | '已封存' | '已到期'): Promise<void> {
    const form = this.page.getByRole('form', { name: '查询条件' });
    await expect(async () => {
      await form.getByLabel('状态').click();
      await this.page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: new RegExp(`^${state}$`) })
        .click({ timeout: 2000 });
      await expect(form.locator('.ant-select-content, .ant-select-selection-item').filter({ hasText: state })).toBeVisible({
        timeout: 1000,
      });
    }).toPass();
  }

  results(): Locator {
    return this.page.getByTestId('archive-results');
  }

  row(caseNo: string): Locator {
    return this.results().getByRole('row').filter({ hasText: caseNo });
  }

  /** Opens the volume of a row: its case, pages and catalogue in a drawer. */
  async openVolume(caseNo: string): Promise<Locator> {
    await this.row(caseNo).getByRole('button', { name: caseNo }).click();
    const drawer = this.page.getByRole('dialog', { name: `档案 ${caseNo}` });
    await expect(drawer.getByTestId('case-detail')).toBeVisible();
    return drawer;
  }
}

/** 统一出件 → find a delivered case by its number → 归档 in its 档案 section. */
export async function fileAtPickup(page: Page, caseNo: string): Promise<Locator> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '统一出件' }).click();
  await page.getByLabel('受理编号').fill(caseNo);
  await page.getByLabel('受理编号').press('Enter');
  const archive = page.getByTestId('archive-panel');
  await archive.getByRole('button', { name: /归\s*档/ }).click();
  await expect(archive).toContainText('已归档');
  return archive;
}
