import { describe, expect, it } from 'vitest';
import { redactPersonalNumbers } from './logger';

describe('redactPersonalNumbers', () => {
  it('masks 18-character ID numbers keeping the first and last four', () => {
    expect(redactPersonalNumbers('person 11010519491231002X found')).toBe('person 1101**********002X found');
  });
  it('masks 15-digit legacy numbers', () => {
    expect(redactPersonalNumbers('id=110105491231002')).toBe('id=1101*******1002');
  });
  it('leaves shorter numbers such as case sequences alone', () => {
    expect(redactPersonalNumbers('case 3301060012026 seq 42')).toBe('case 3301060012026 seq 42');
  });
});
