import { idCheckCharacter } from '#shared/domain/identity/resident-id';
import { describe, expect, it } from 'vitest';

import { identityOf } from './cards/verify-card-read';
import { demoPeople } from './demo-people';
import { findUnprintable } from './printer/text-encoding';

describe('identityOf (what card reads are checked against)', () => {
  it('accepts the GB 11643 example 11010519491231002X and decodes birth date and sex', () => {
    expect(identityOf('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' });
  });

  it('rejects a wrong check character, a transposition, a lower-case x and a 15-digit number', () => {
    for (const id of ['110105194912310021', '11010519491213002X', '11010519491231002x', '110105491231002']) {
      expect(identityOf(id), id).toBeUndefined();
    }
  });
});

describe('demo people', () => {
  it('have valid ID numbers that agree with their birth date and sex', () => {
    expect(demoPeople.length).toBeGreaterThanOrEqual(5);
    for (const p of demoPeople) {
      // Check character recomputed with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and table 10X98765432.
      expect(p.idNumber[17], p.name).toBe(idCheckCharacter(p.idNumber.slice(0, 17)));
      expect(identityOf(p.idNumber), p.name).toEqual({ birthDate: p.birthDate, sex: p.sex });
    }
  });

  it('include rare characters, and every name is printable', () => {
    const names = demoPeople.map((p) => p.name).join('');
    expect(names).toMatch(/堃|䶮/);
    expect(names).toContain('𠮷');
    for (const p of demoPeople) expect(findUnprintable(p.name), p.name).toEqual([]);
  });
});
