import { describe, expect, it } from 'vitest';
import defaultCatalogue from '../../../resources/catalogue/default.json';
import { HOLIDAYS_2026 } from '../calendar/holidays-2026';
import { createWorkingCalendar, promisedCompletionDate } from '../calendar/working-days';
import { buildFormSchema, type FormField } from './form-fields';
import { catalogueSchema, findSubItem, timeLimitWorkingDays, type Catalogue, type CatalogueSubItem } from './schema';

/**
 * The specification the default catalogue transcribes: catalogue-reference.md §2, sub-item code → review level
 * (a pair where the reference marks the higher level as inferred) and handling mode ('I' 即办, 'P' 承诺, '?' where
 * the reference allows both).
 */
const REFERENCE: Record<string, [number | [number, number], 'I' | 'P' | '?']> = {
  A1: [2, 'I'],
  A2: [3, 'P'],
  A3: [2, 'I'],
  B1: [2, 'I'],
  B2: [2, 'I'],
  B3: [[2, 3], 'I'],
  C1: [1, 'I'],
  C2: [1, 'I'],
  C3: [1, 'I'],
  D1: [2, '?'],
  D2: [1, 'I'],
  D3: [2, 'I'],
  E1: [1, 'I'],
  E2: [1, 'I'],
  E3: [1, 'I'],
  F1: [2, 'P'],
  F2: [1, 'I'],
  F3: [3, 'P'],
  G1: [1, 'I'],
  G2: [3, 'P'],
  G3: [2, 'I'],
  G4: [3, 'P'],
  H1: [1, 'I'],
  H2: [2, 'P'],
  H3: [2, 'P'],
  H4: [2, 'P'],
  H5: [2, 'P'],
  H6: [1, 'P'],
  I1: [[2, 3], 'P'],
  I2: [[2, 3], 'P'],
  I3: [3, 'P'],
  I4: [3, 'P'],
  I5: [2, 'P'],
  J1: [1, 'I'],
  J2: [1, 'I'],
  J3: [1, 'I'],
  K1: [3, 'P'],
  K2: [2, 'P'],
  K3: [2, 'I'],
  K4: [2, 'P'],
  K5: [1, 'I'],
  L1: [2, '?'],
  L2: [3, 'P'],
  L3: [2, 'I'],
  M1: [1, 'I'],
  M2: [2, 'P'],
  M3: [3, 'P'],
  M4: [3, 'P'],
  N1: [1, 'P'],
  N2: [1, 'I'],
  N3: [2, 'I'],
  N4: [1, 'I'],
  N5: [1, 'I'],
  N6: [1, 'I'],
  N7: [1, 'I'],
  N8: [1, 'I'],
  O1: [1, 'I'],
  O2: [1, 'I'],
};

function parseDefault(): Catalogue {
  const result = catalogueSchema.safeParse(defaultCatalogue);
  if (!result.success) throw new Error(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  return result.data;
}

const catalogue = parseDefault();
const subItems = catalogue.items.flatMap((item) => item.subItems);

function sampleValue(field: FormField): unknown {
  switch (field.type) {
    case 'text':
      return '测试内容';
    case 'id_number':
      return '11010519491231002x';
    case 'credit_code':
      return '91350100M000100Y43';
    case 'phone':
      return '138 0013 8000';
    case 'bank_account':
      return '6222 0202 0011 2233 445';
    case 'date':
      return '2026-01-15';
    case 'month':
      return '2025-12';
    case 'money':
      return '￥1,234.56';
    case 'integer':
      return String(field.min ?? 1);
    case 'select':
      return field.options?.[0]?.value;
    case 'boolean':
      return true;
  }
}

/** A valid copy of a sub-item to break one rule at a time. */
function validSubItem(): CatalogueSubItem {
  return structuredClone(findSubItem(catalogue, 'G2') as CatalogueSubItem);
}

function issuesOf(sub: CatalogueSubItem): string[] {
  const broken = { ...catalogue, items: [{ code: 'G', name: '缴费与断缴补缴', subItems: [sub] }] };
  return catalogueSchema.safeParse(broken).error?.issues.map((issue) => issue.message) ?? [];
}

describe('default catalogue (resources/catalogue/default.json)', () => {
  it('passes the catalogue schema', () => {
    expect(catalogueSchema.safeParse(defaultCatalogue).success).toBe(true);
  });

  it('holds every item and sub-item of catalogue-reference.md', () => {
    expect(catalogue.items.map((item) => item.code)).toEqual([...'ABCDEFGHIJKLMNO']);
    expect(subItems.map((sub) => sub.code)).toEqual(Object.keys(REFERENCE));
    expect(subItems).toHaveLength(58);
  });

  it('keeps the reference’s review level and handling mode for each sub-item', () => {
    for (const sub of subItems) {
      const [level, mode] = REFERENCE[sub.code] ?? [0, '?'];
      expect(Array.isArray(level) ? level : [level], sub.code).toContain(sub.reviewLevel);
      if (mode !== '?') expect(sub.timeLimit.kind, sub.code).toBe(mode === 'I' ? 'immediate' : 'promised');
    }
  });

  it('lists materials and form fields for every case, and opens no case for consultation', () => {
    for (const sub of subItems) {
      expect(sub.opensCase, sub.code).toBe(!sub.code.startsWith('O'));
      if (!sub.opensCase) continue;
      expect(sub.materials.length, sub.code).toBeGreaterThan(0);
      expect(sub.formFields.length, sub.code).toBeGreaterThan(0);
      for (const material of sub.materials) if (material.condition) expect(material.required, `${sub.code} ${material.code}`).toBe(false);
    }
  });

  it('ties the amount-computing items to their calculators and receipts', () => {
    const g2 = findSubItem(catalogue, 'G2');
    expect(g2).toMatchObject({ computes: ['back_payment'], timeLimit: { kind: 'promised', workingDays: 20 }, reviewLevel: 3 });
    expect(g2?.receipts).toEqual(['acceptance_receipt', 'completion_voucher', 'payment_notice']);
    expect(g2?.legalBasis).toContainEqual({ source: '中华人民共和国社会保险法', articles: '第六十条、第六十三条、第八十六条' });
    expect(findSubItem(catalogue, 'G1')?.computes).toEqual(['contribution']);
    expect(findSubItem(catalogue, 'H5')?.department).toBe('medical_insurance');
    expect(findSubItem(catalogue, 'Z9')).toBeUndefined();
  });

  it('gives each promised item a completion date on the working-day calendar', () => {
    const calendar = createWorkingCalendar([HOLIDAYS_2026]);
    const g2 = findSubItem(catalogue, 'G2');
    expect(g2 && promisedCompletionDate(calendar, '2026-09-30', timeLimitWorkingDays(g2.timeLimit))).toEqual({
      date: '2026-11-03',
      provisional: false,
    });
    const j1 = findSubItem(catalogue, 'J1');
    expect(j1 && timeLimitWorkingDays(j1.timeLimit)).toBe(0);
  });

  it('builds a working form for every sub-item', () => {
    for (const sub of subItems) {
      const schema = buildFormSchema(sub.formFields, { today: '2026-03-01' });
      const filled = Object.fromEntries(sub.formFields.map((field) => [field.key, sampleValue(field)]));
      const parsed = schema.safeParse(filled);
      expect(parsed.error?.issues ?? [], sub.code).toEqual([]);
      const empty = schema.safeParse(Object.fromEntries(sub.formFields.map((field) => [field.key, ''])));
      const required = sub.formFields.filter((field) => field.required);
      expect(empty.error?.issues.map((issue) => issue.message) ?? [], sub.code).toEqual(required.map((field) => `请填写${field.label}`));
    }
    const g2 = buildFormSchema(findSubItem(catalogue, 'G2')?.formFields ?? []);
    const typed = g2.parse({
      creditCode: '91350100m000100y43',
      employerName: '乐山某公司',
      idNumber: '110105491231002',
      name: '张三',
      fromMonth: '2024-03',
      toMonth: '2024-05',
      declaredWage: '5,000',
      reason: 'self',
    });
    expect(typed).toMatchObject({ creditCode: '91350100M000100Y43', idNumber: '11010519491231002X', declaredWage: 500000 });
  });
});

describe('catalogue schema', () => {
  it('requires the steps to match the review level', () => {
    const sub = validSubItem();
    sub.steps = sub.steps.filter((step) => step.actor !== 'approver');
    expect(issuesOf(sub)).toContain('审核层级为3级，审批环节不能缺少');
    const lower = validSubItem();
    lower.reviewLevel = 1;
    expect(issuesOf(lower)).toEqual(['审核层级为1级，复核环节不应出现', '审核层级为1级，审批环节不应出现']);
  });

  it('requires an acceptance receipt for promised cases', () => {
    const sub = validSubItem();
    sub.receipts = ['completion_voucher'];
    expect(issuesOf(sub)).toEqual(['承诺件必须打印受理回执（载明承诺办结日期）']);
  });

  it('refuses duplicate codes and keys, and codes outside their item', () => {
    const sub = validSubItem();
    sub.materials = [...sub.materials, sub.materials[0] as CatalogueSubItem['materials'][number]];
    sub.formFields = [...sub.formFields, sub.formFields[0] as FormField];
    expect(issuesOf(sub)).toEqual(['材料编码“BPFORM”重复', '表单字段“creditCode”重复']);
    const outside = validSubItem();
    outside.code = 'H9';
    expect(issuesOf(outside)).toEqual(['子项编码“H9”应以主项编码“G”开头']);
    const twice = { ...catalogue, items: [...catalogue.items, catalogue.items[0]] };
    expect(
      catalogueSchema
        .safeParse(twice)
        .error?.issues.map((i) => i.message)
        .slice(0, 2),
    ).toEqual(['主项编码“A”重复', '子项编码“A1”重复']);
  });

  it('checks form fields and consultation items', () => {
    const sub = validSubItem();
    sub.formFields = [{ key: 'kind', label: '类型', type: 'select', required: true }];
    expect(issuesOf(sub)).toEqual(['下拉字段必须列出可选项']);
    const badKey = validSubItem();
    badKey.formFields = [{ key: 'Bad-Key', label: '类型', type: 'text', required: true }];
    expect(issuesOf(badKey)).toEqual(['字段键名应为小写字母开头的英文驼峰名']);
    const consultation = validSubItem();
    consultation.opensCase = false;
    expect(issuesOf(consultation)).toContain('不立案的咨询类事项只能由综合柜员即时办理');
  });
});
