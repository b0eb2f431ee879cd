import { test as base } from '@playwright/test';
import { startHost, type RunningHost } from './host';
import { LoginPage } from './page-models/login';

/** Every test gets its own host process and data folder. */
export const test = base.extend<{ host: RunningHost; loginPage: LoginPage }>({
  host: async ({}, use) => {
    const host = await startHost();
    await use(host);
    await host.stop();
  },
  loginPage: async ({ page, host }, use) => {
    await use(new LoginPage(page, host.url));
  },
});

export { expect } from '@playwright/test';
