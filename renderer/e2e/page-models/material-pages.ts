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

  /** The page editor (turn, straighten, crop) open for a camera frame or an imported picture. */
  editor(): Locator {
    return this.page.getByRole('group', { name: '调整页面' });
  }

  /** Files the page in the editor as it stands. */
  async confirmEdit(): Promise<void> {
    await this.editor()
      .getByRole('button', { name: /确\s*定/ })
      .click();
  }

  /** Opens 拍照 for a material and the first simulated frame in the editor; the dialog stays open. */
  async openSimulatedFrame(material: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `拍照：${material}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `拍照：${material}` });
    await expect(dialog).toContainText('未检测到高拍仪');
    await dialog.getByRole('button', { name: '模拟高拍仪拍摄' }).click();
    await expect(this.editor()).toBeVisible();
    return dialog;
  }

  /** Opens 拍照 for a material, takes `count` pages with the simulated document camera as they come, and closes it. */
  async captureSimulated(material: string, count = 1): Promise<void> {
    const dialog = await this.openSimulatedFrame(material);
    for (let i = 1; i <= count; i++) {
      if (i > 1) await dialog.getByRole('button', { name: '模拟高拍仪拍摄' }).click();
      await this.confirmEdit();
      await expect(dialog.getByRole('status')).toContainText(`本次已拍 ${i} 页`);
    }
    await this.closeCamera(dialog);
  }

  async closeCamera(dialog: Locator): Promise<void> {
    await dialog
      .getByRole('button', { name: '完 成' })
      .or(dialog.getByRole('button', { name: '完成' }))
      .click();
    await expect(dialog).toBeHidden();
  }

  /** Picks a file with 导入; a picture then waits in the editor (confirmEdit), anything else is sent at once. */
  async importFile(material: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByLabel(`导入文件：${material}`).setInputFiles(file);
  }

  /**
   * Starts noting every upload progress the page shows (正在上传 … 第n/m部分), however briefly; the function returned
   * gives the texts seen so far, in order.
   */
  async recordUploadProgress(): Promise<() => Promise<string[]>> {
    await this.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { uploadProgress: string[] }).uploadProgress = seen;
      new MutationObserver(() => {
        for (const status of Array.from(document.querySelectorAll('[role="status"]'))) {
          const text = status.textContent ?? '';
          if (text.startsWith('正在上传') && seen.at(-1) !== text) seen.push(text);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    return () => this.page.evaluate(() => (window as unknown as { uploadProgress: string[] }).uploadProgress);
  }

  /** Opens 扫描导入 for a material: the files waiting in the scanner folder. */
  async openScanner(material: string): Promise<Locator> {
    await this.page.getByRole('button', { name: `扫描导入：${material}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `扫描导入：${material}` });
    await expect(dialog).toContainText('扫描文件夹：');
    return dialog;
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
