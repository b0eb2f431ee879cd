import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { demoPeople } from '../../demo-people';
import { encodeIdText, idTextToCardRead, parseIdText } from './id-text';
import { idTextFor } from './simulated-sam-reader';

describe('ID card text block', () => {
  it('puts each field at its GA/T 490 offset in UCS-2LE', () => {
    const block = encodeIdText({ name: '张堃', sex: '1', idNumber: '33030219850412013X' });
    expect(Buffer.from(block.subarray(0, 4)).toString('hex')).toBe('205f0358'); // 张 U+5F20, 堃 U+5803
    expect(Buffer.from(block.subarray(30, 32)).toString('latin1')).toBe('1\u0000');
    expect(Buffer.from(block.subarray(122, 158)).toString('utf16le')).toBe('33030219850412013X');
    expect(Buffer.from(block.subarray(4, 6)).toString('utf16le')).toBe(' '); // space padding
  });

  it('reads every demo person back, including 𠮷 (a surrogate pair) and a residence permit', () => {
    for (const person of demoPeople) {
      const read = idTextToCardRead(parseIdText(idTextFor(person)));
      expect(read).toMatchObject({
        kind: 'resident_id',
        name: person.name,
        idNumber: person.idNumber,
        sex: person.sex,
        birthDate: person.birthDate,
        address: person.address,
        issuingAuthority: person.issuingAuthority,
        validFrom: person.idValidFrom,
        validUntil: person.idValidUntil,
        documentType: person.documentType,
      });
    }
    const permit = demoPeople.find((p) => p.documentType === 'hmt_residence_permit')!;
    expect(idTextToCardRead(parseIdText(idTextFor(permit)))).toMatchObject({
      passNumber: 'H60123456',
      issueCount: '01',
      ethnicityCode: undefined,
    });
  });

  it("refuses the foreigner's permanent residence card ('I'), whose layout differs", () => {
    const block = encodeIdText({ name: 'ZHANG SAN', idNumber: '11010519491231002X', typeFlag: 'I' });
    expect(() => idTextToCardRead(parseIdText(block))).toThrow(expect.objectContaining({ code: 'DEVICE_UNSUPPORTED_CARD' }));
  });

  it('refuses data whose birth date or sex disagrees with the ID number', () => {
    const person = demoPeople[0]!;
    const base = parseIdText(idTextFor(person));
    expect(() => idTextToCardRead({ ...base, birthDate: '19850413' })).toThrow(expect.objectContaining({ code: 'DEVICE_BAD_DATA' }));
    expect(() => idTextToCardRead({ ...base, sex: '2' })).toThrow(expect.objectContaining({ code: 'DEVICE_BAD_DATA' }));
  });

  it('never turns random bytes into a person (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (block) => {
        expect(() => idTextToCardRead(parseIdText(block))).toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
