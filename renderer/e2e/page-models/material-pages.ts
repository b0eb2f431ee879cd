import { expect, type Locator, type Page } from '@playwright/test';

/** The pages of a case per material: the capture checklist at the workbench, the read-only list wherever a case is shown. */
export class MaterialPagesPanel {
  constructor(readonly page: Page) {}

  material(name: string): Locator {
    return this.page.getByRole('list', { name: '材料影像' }).getByRole('listitem', { name, exact: true });
  }

  pages(material: string): Locator {
    return this.material(material).getByRole('figure');
  }

  /** Opens 拍照 for a material, takes `count` pages with the simulated document camera, and closes it. */
  async captureSimulated(material: string, count = 1): Promise<void> {
    await this.page.getByRole('button', { name: `拍照：${material}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `拍照：${material}` });
    await expect(dialog).toContainText('未检测到高拍仪');
    for (let i = 1; i <= count; i++) {
      await dialog.getByRole('button', { name: '模拟高拍仪拍摄' }).click();
      await expect(dialog.getByRole('status')).toContainText(`本次已拍 ${i} 页`);
    }
    await dialog
      .getByRole('button', { name: '完 成' })
      .or(dialog.getByRole('button', { name: '完成' }))
      .click();
    await expect(dialog).toBeHidden();
  }

  async importFile(material: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel(`导入文件：${material}`).setInputFiles(file);
  }

  /** Takes the n-th page (from 1) of a material off the case, confirming the question. */
  async removePage(material: string, n: number): Promise<void> {
    await this.pages(material)
      .nth(n - 1)
      .getByRole('button', { name: '删除' })
      .click();
    await this.page
      .locator('.ant-popconfirm:visible')
      .getByRole('button', { name: /删\s*除/ })
      .click();
  }
}
