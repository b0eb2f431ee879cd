import { z } from 'zod';
import { businessDateSchema } from '../calendar/dates';
import { regionCodeSchema } from '../region';
import { formFieldSchema } from './form-fields';

/**
 * The business catalogue (事项目录) in the "八统一" shape: for every item and sub-item its code and name, legal
 * basis, materials, process steps, time limit and review levels, plus what the app needs to handle it: the amounts
 * it computes, the receipts it prints and the form fields it asks for. A province or city edits it and the central
 * office pushes it as reference data; this schema is the contract every edited catalogue must meet.
 */
const codeSchema = z
  .string({ error: '编码必须是文本' })
  .regex(/^[A-Z][A-Z0-9]{0,15}$/, { error: '编码只能由大写字母开头，由大写字母和数字组成，最长16位' });

/** 1 = teller only (一级审核); 2 = + reviewer (二级复核); 3 = + approver (三级审批). */
export const REVIEW_LEVELS = [1, 2, 3] as const;
export type ReviewLevel = (typeof REVIEW_LEVELS)[number];
export const REVIEW_LEVEL_LABELS: Readonly<Record<ReviewLevel, string>> = {
  1: '一级审核（综合柜员）',
  2: '二级复核（综合柜员＋复核员）',
  3: '三级审批（综合柜员＋复核员＋审批人）',
};
export const reviewLevelSchema = z.literal(REVIEW_LEVELS, { error: '审核层级只能是1、2或3' });

export const MATERIAL_FORMS = ['original', 'copy', 'original_and_copy'] as const;
export const MATERIAL_FORM_LABELS: Readonly<Record<(typeof MATERIAL_FORMS)[number], string>> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件及复印件',
};

export const materialSchema = z.object({
  /** Stable key within the sub-item, so ticked materials survive a catalogue edit. */
  code: codeSchema,
  name: z.string().min(1, { error: '请填写材料名称' }),
  form: z.enum(MATERIAL_FORMS, { error: '材料形式只能是原件、复印件或原件及复印件' }),
  copies: z.int().min(1, { error: '份数至少为1' }).max(20),
  /** A copy or form that must carry the unit's seal (加盖单位公章). */
  stamped: z.boolean(),
  required: z.boolean(),
  /** When an optional material becomes necessary, e.g. "委托他人代办时". */
  condition: z.string().min(1).optional(),
  /** The counter may check the fact in shared data instead of asking for the paper (数据核验代替). */
  dataCheckReplaceable: z.boolean(),
});

export const timeLimitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('immediate') }),
  z.object({ kind: z.literal('promised'), workingDays: z.int().min(1, { error: '承诺时限至少1个工作日' }).max(250) }),
]);
export type TimeLimit = z.infer<typeof timeLimitSchema>;

export const STEP_ACTORS = ['teller', 'reviewer', 'approver', 'external'] as const;
export const stepSchema = z.object({
  name: z.string().min(1, { error: '请填写环节名称' }),
  /** Who performs the step; `external` is another office (the old insured place, a bank, the tax bureau). */
  actor: z.enum(STEP_ACTORS, { error: '环节办理人只能是综合柜员、复核员、审批人或外部机构' }),
});

/** Amounts the app computes for a sub-item, each with a calculator in shared/domain/contributions. */
export const AMOUNT_KINDS = ['contribution_base', 'contribution', 'flexible_contribution', 'back_payment'] as const;
export const RECEIPT_KINDS = [
  'acceptance_receipt',
  'completion_voucher',
  'one_time_notice',
  'payment_notice',
  'certificate',
  'statement',
  'form_copy',
  'card_pickup_slip',
] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export const RECEIPT_KIND_LABELS: Readonly<Record<ReceiptKind, string>> = {
  acceptance_receipt: '受理回执',
  completion_voucher: '办结凭证',
  one_time_notice: '一次性告知单',
  payment_notice: '缴费单',
  certificate: '证明',
  statement: '对账单',
  form_copy: '登记表（核定表）',
  card_pickup_slip: '领卡证明',
};

export const DEPARTMENTS = ['social_insurance', 'medical_insurance'] as const;

const legalBasisSchema = z.object({
  source: z.string().min(1, { error: '请填写法律法规或文件名称' }),
  articles: z.string().min(1).optional(),
});

function addDuplicateIssues(
  values: readonly string[],
  what: string,
  path: (index: number) => (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: path(i), message: `${what}“${value}”重复` });
    seen.add(value);
  });
}

export const subItemSchema = z
  .object({
    code: codeSchema,
    name: z.string().min(1, { error: '请填写子项名称' }),
    description: z.string().min(1).optional(),
    department: z.enum(DEPARTMENTS, { error: '所属部门只能是社保或医保' }),
    /** False for consultation: the teller answers, no case is opened. */
    opensCase: z.boolean(),
    legalBasis: z.array(legalBasisSchema),
    materials: z.array(materialSchema),
    steps: z.array(stepSchema).min(1, { error: '至少需要一个办理环节' }),
    timeLimit: timeLimitSchema,
    /** The statutory outer limit or local variants, shown to the teller. */
    timeLimitNote: z.string().min(1).optional(),
    reviewLevel: reviewLevelSchema,
    computes: z.array(z.enum(AMOUNT_KINDS, { error: '未知的计算类型' })),
    receipts: z.array(z.enum(RECEIPT_KINDS, { error: '未知的回执类型' })),
    /** The item's own output document, e.g. 社会保险登记表. */
    outputDocument: z.string().min(1).optional(),
    formFields: z.array(formFieldSchema),
    notes: z.array(z.string().min(1)),
  })
  .superRefine((sub, ctx) => {
    const actors = new Set(sub.steps.map((step) => step.actor));
    if (sub.steps[0]?.actor !== 'teller') ctx.addIssue({ code: 'custom', path: ['steps', 0], message: '第一个环节必须由综合柜员受理' });
    if (actors.has('reviewer') !== sub.reviewLevel >= 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `审核层级为${sub.reviewLevel}级，复核环节${sub.reviewLevel >= 2 ? '不能缺少' : '不应出现'}`,
      });
    }
    if (actors.has('approver') !== (sub.reviewLevel === 3)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `审核层级为${sub.reviewLevel}级，审批环节${sub.reviewLevel === 3 ? '不能缺少' : '不应出现'}`,
      });
    }
    if (!sub.opensCase && (sub.reviewLevel !== 1 || sub.timeLimit.kind !== 'immediate')) {
      ctx.addIssue({ code: 'custom', path: ['opensCase'], message: '不立案的咨询类事项只能由综合柜员即时办理' });
    }
    if (sub.opensCase && sub.timeLimit.kind === 'promised' && !sub.receipts.includes('acceptance_receipt')) {
      ctx.addIssue({ code: 'custom', path: ['receipts'], message: '承诺件必须打印受理回执（载明承诺办结日期）' });
    }
    addDuplicateIssues(
      sub.materials.map((m) => m.code),
      '材料编码',
      (i) => ['materials', i, 'code'],
      ctx,
    );
    addDuplicateIssues(
      sub.formFields.map((f) => f.key),
      '表单字段',
      (i) => ['formFields', i, 'key'],
      ctx,
    );
  });

export const itemSchema = z
  .object({
    code: codeSchema,
    name: z.string().min(1, { error: '请填写主项名称' }),
    subItems: z.array(subItemSchema).min(1, { error: '主项至少包含一个子项' }),
  })
  .superRefine((item, ctx) => {
    item.subItems.forEach((sub, i) => {
      if (!sub.code.startsWith(item.code)) {
        ctx.addIssue({ code: 'custom', path: ['subItems', i, 'code'], message: `子项编码“${sub.code}”应以主项编码“${item.code}”开头` });
      }
    });
  });

export const catalogueSchema = z
  .object({
    schemaVersion: z.literal(1, { error: '不支持的事项目录格式版本' }),
    /** Edition label of this catalogue, printed on the one-time notice. */
    version: z.string().min(1),
    /** Region that issued it; 000000 for the national default. */
    region: regionCodeSchema,
    name: z.string().min(1),
    effectiveFrom: businessDateSchema,
    items: z.array(itemSchema).min(1, { error: '事项目录至少包含一个主项' }),
  })
  .superRefine((catalogue, ctx) => {
    addDuplicateIssues(
      catalogue.items.map((item) => item.code),
      '主项编码',
      (i) => ['items', i, 'code'],
      ctx,
    );
    const subItems = catalogue.items.flatMap((item, i) =>
      item.subItems.map((sub, j) => ({ code: sub.code, path: ['items', i, 'subItems', j, 'code'] })),
    );
    addDuplicateIssues(
      subItems.map((sub) => sub.code),
      '子项编码',
      (k) => subItems[k]?.path ?? [],
      ctx,
    );
  });

export type Catalogue = z.infer<typeof catalogueSchema>;
export type CatalogueItem = z.infer<typeof itemSchema>;
export type CatalogueSubItem = z.infer<typeof subItemSchema>;
export type Material = z.infer<typeof materialSchema>;

export function findSubItem(catalogue: Catalogue, code: string): CatalogueSubItem | undefined {
  for (const item of catalogue.items) {
    const sub = item.subItems.find((candidate) => candidate.code === code);
    if (sub) return sub;
  }
  return undefined;
}

/** Working days of a time limit, as the working-day calendar counts them (0 for an immediate case). */
export function timeLimitWorkingDays(limit: TimeLimit): number {
  return limit.kind === 'immediate' ? 0 : limit.workingDays;
}
