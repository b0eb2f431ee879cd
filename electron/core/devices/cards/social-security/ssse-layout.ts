// The SSSE application of the social security card (hardware.md §1.2–1.3): DF name, files, records.

/** "sx1.sh.社会保障": 7 ASCII bytes, then 社会保障 in GBK. */
export const SSSE_DF_NAME = Uint8Array.of(0x73, 0x78, 0x31, 0x2e, 0x73, 0x68, 0x2e, 0xc9, 0xe7, 0xbb, 0xe1, 0xb1, 0xa3, 0xd5, 0xcf);

export const EF05 = 0xef05;
export const EF06 = 0xef06;

export type FieldFormat = 'b' | 'an' | 'cn';

export interface RecordLayout {
  record: number;
  tag: number;
  /** Length of the value; the TLV answer is two bytes longer. */
  length: number;
  format: FieldFormat;
  /** A card without it is still readable (older cards lack 姓名扩展). */
  optional?: boolean;
}

export const EF05_RECORDS = {
  cardIdentifier: { record: 1, tag: 0x01, length: 16, format: 'b' },
  cardType: { record: 2, tag: 0x02, length: 1, format: 'an', optional: true },
  specVersion: { record: 3, tag: 0x03, length: 4, format: 'an' },
  initOrganisation: { record: 4, tag: 0x04, length: 12, format: 'b', optional: true },
  issueDate: { record: 5, tag: 0x05, length: 4, format: 'cn', optional: true },
  expiryDate: { record: 6, tag: 0x06, length: 4, format: 'cn', optional: true },
  cardNumber: { record: 7, tag: 0x07, length: 9, format: 'an' },
} as const satisfies Record<string, RecordLayout>;

export const EF06_RECORDS = {
  idNumber: { record: 1, tag: 0x08, length: 18, format: 'an' },
  name: { record: 2, tag: 0x09, length: 30, format: 'an' },
  nameExtension: { record: 3, tag: 0x4e, length: 20, format: 'an', optional: true },
  sex: { record: 4, tag: 0x0a, length: 1, format: 'an' },
  ethnicity: { record: 5, tag: 0x0b, length: 1, format: 'cn', optional: true },
  birthPlace: { record: 6, tag: 0x0c, length: 3, format: 'cn', optional: true },
  birthDate: { record: 7, tag: 0x0d, length: 4, format: 'cn' },
} as const satisfies Record<string, RecordLayout>;

/** RID of the social security card application, bytes 4–8 of the card identifier. */
export const SSSE_RID = 'D156000005';
