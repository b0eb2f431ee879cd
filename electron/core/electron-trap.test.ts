import { describe, expect, it } from 'vitest';

describe('the core test run', () => {
  it('fails any import of electron, so a stray import from the core cannot pass unnoticed', async () => {
    await expect(import('electron')).rejects.toThrow(/electron imported outside electron\/main/);
  });

  it('loads the whole core without importing electron', async () => {
    const core = await import('./index');
    expect(typeof core.createCore).toBe('function');
  });
});
