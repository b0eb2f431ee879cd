import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './masking';

describe('masking', () => {
  it('keeps the first four and last four characters of an ID number', () => {
    expect(maskIdNumber('511102199001011234')).toBe('5111**********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdNumber('12345678')).toBe('********');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9X]{9,20}$/), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(id.length);
        expect(masked.slice(0, 4)).toBe(id.slice(0, 4));
        expect(masked.slice(-4)).toBe(id.slice(-4));
        expect(masked.slice(4, -4)).toMatch(/^\*+$/);
      }),
    );
  });

  it('keeps only the family name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskName('司马相如')).toBe('司马**');
    expect(maskName('买买提·艾力')).toBe('买**·**');
    expect(maskName('SMITH, JOHN')).toBe('SMITH, ****');
    expect(maskName('王')).toBe('王');
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c)), minLength: 2, maxLength: 6 }),
        (name) => {
          const masked = [...maskName(name)];
          const visible = masked.filter((ch) => ch !== '*').length;
          expect(masked).toHaveLength([...name].length);
          expect(masked[0]).toBe([...name][0]);
          expect(visible).toBeLessThanOrEqual(2);
          expect(visible).toBeLessThan(masked.length);
        },
      ),
    );
  });

  it('hides the middle four digits of a phone number', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('0833-2123456')).toBe('083*-***3456');
    expect(maskPhone('083312345678')).toBe('0833****5678');
    expect(maskPhone('123')).toBe('***');
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        expect(maskPhone(phone)).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });
});
