import { z } from 'zod';
import { businessDateSchema, monthSchema, type BusinessDate } from '../calendar/dates';
import { creditCodeSchema } from '../identity/credit-code';
import { idNumberSchemaAsOf } from '../identity/resident-id';
import { yuanInputSchema } from '../money/fen';

/**
 * Form fields a sub-item asks for, declared in the catalogue with a type; the type decides the validation, so an
 * edited catalogue cannot invent a field the app cannot check. Values arrive as the teller typed them (text, or a
 * boolean for a tick box) and come out typed: an ID number normalised, an amount in fen, an integer as a number.
 */
export const FIELD_TYPES = [
  'text',
  'id_number',
  'credit_code',
  'phone',
  'bank_account',
  'date',
  'month',
  'money',
  'integer',
  'select',
  'boolean',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const formFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, { error: '字段键名应为小写字母开头的英文驼峰名' }),
    label: z.string().min(1, { error: '请填写字段名称' }),
    type: z.enum(FIELD_TYPES, { error: '未知的字段类型' }),
    required: z.boolean(),
    /** Choices of a select field. */
    options: z
      .array(z.object({ value: z.string().min(1), label: z.string().min(1) }))
      .min(1)
      .optional(),
    /** Longest text accepted (text fields). */
    maxLength: z.int().min(1).max(2000).optional(),
    /** Bounds of an integer field. */
    min: z.int().optional(),
    max: z.int().optional(),
  })
  .superRefine((field, ctx) => {
    if ((field.type === 'select') !== (field.options !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: field.type === 'select' ? '下拉字段必须列出可选项' : '只有下拉字段可以设置可选项',
      });
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: '最大值不能小于最小值' });
    }
  });

export type FormField = z.infer<typeof formFieldSchema>;

/** Mobile (11 digits from 1) or landline (area code from 0, optional hyphen, 7–8 digits). */
const phoneSchema = z
  .string()
  .transform((text) => text.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}\d{7,8})$/, { error: '电话号码应为11位手机号或带区号的固定电话' }));

const bankAccountSchema = z
  .string()
  .transform((text) => text.replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{12,30}$/, { error: '银行账号应为12–30位数字' }));

function valueSchema(field: FormField, today: BusinessDate | undefined): z.ZodType {
  switch (field.type) {
    case 'text':
      return z
        .string()
        .trim()
        .max(field.maxLength ?? 200, { error: `${field.label}不能超过${field.maxLength ?? 200}个字` });
    case 'id_number':
      return idNumberSchemaAsOf(today);
    case 'credit_code':
      return creditCodeSchema;
    case 'phone':
      return phoneSchema;
    case 'bank_account':
      return bankAccountSchema;
    case 'date':
      return businessDateSchema;
    case 'month':
      return monthSchema;
    case 'money':
      return yuanInputSchema;
    case 'integer': {
      let integer = z.int({ error: `${field.label}必须是整数` });
      if (field.min !== undefined) integer = integer.min(field.min, { error: `${field.label}不能小于${field.min}` });
      if (field.max !== undefined) integer = integer.max(field.max, { error: `${field.label}不能大于${field.max}` });
      return z.coerce.number({ error: `${field.label}必须是整数` }).pipe(integer);
    }
    case 'select': {
      const values = (field.options ?? []).map((option) => option.value);
      return z.string().refine((value) => values.includes(value), { error: `${field.label}只能从列出的选项中选择` });
    }
    case 'boolean':
      return z.boolean({ error: `${field.label}应为是或否` });
  }
}

/**
 * The zod schema of a sub-item's form. An empty text counts as "not filled in", so an optional field left blank
 * passes and a required one gets "请填写…".
 */
export function buildFormSchema(fields: readonly FormField[], options: { readonly today?: BusinessDate } = {}) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const schema = valueSchema(field, options.today);
    shape[field.key] = z.preprocess(
      (value, ctx) => {
        const filled = typeof value === 'string' && value.trim() === '' ? undefined : value;
        if (filled === undefined && field.required) {
          ctx.addIssue({ code: 'custom', message: `请填写${field.label}` });
          return z.NEVER;
        }
        return filled;
      },
      field.required ? schema : schema.optional(),
    );
  }
  return z.object(shape);
}
