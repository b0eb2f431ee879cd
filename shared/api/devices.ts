import { z } from 'zod';
import { empty, method, ok } from './define';

const FRONT = ['teller', 'admin'] as const;

// ---- print queue ----

export const PRINT_JOB_STATES = ['queued', 'printing', 'printed', 'failed_waiting', 'blocked', 'uncertain', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

export const PRINT_JOB_STATE_LABELS: Readonly<Record<PrintJobState, string>> = {
  queued: '排队中',
  printing: '打印中',
  printed: '已打印',
  failed_waiting: '等待重试',
  blocked: '无法打印',
  uncertain: '待确认',
  cancelled: '已取消',
};

export const printJobSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  documentKind: z.string(),
  title: z.string(),
  state: z.enum(PRINT_JOB_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** Why the job is waiting, blocked or uncertain, in Chinese for the teller. */
  lastError: z.string().nullable(),
  /** A deliberate reprint: printed with a 补打 line. */
  reprint: z.boolean(),
  reprintOf: z.string().nullable(),
  createdAt: z.string(),
  printedAt: z.string().nullable(),
});
export type PrintJob = z.infer<typeof printJobSchema>;

/** What the teller decides about a job the app could not finish on its own. */
export const PRINT_RESOLUTIONS = ['printed', 'reprint', 'cancel'] as const;

// ---- devices ----

export const PRINTER_STATES = ['online', 'offline', 'paper_out', 'unknown'] as const;
export const PRINTER_STATE_LABELS: Readonly<Record<(typeof PRINTER_STATES)[number], string>> = {
  online: '在线',
  offline: '离线',
  paper_out: '缺纸',
  unknown: '检测中',
};

export const printerViewSchema = z.object({
  uri: z.string(),
  simulated: z.boolean(),
  state: z.enum(PRINTER_STATES),
  paperNearEnd: z.boolean(),
  /** 'connection': the printer does not answer DLE EOT on this link, only the link was checked. */
  checkedBy: z.enum(['dle_eot', 'connection']).nullable(),
  detail: z.string(),
  paperMm: z.number().int(),
  columns: z.number().int(),
});
export type PrinterView = z.infer<typeof printerViewSchema>;

export const CARD_KINDS = ['social_security', 'resident_id'] as const;
export type CardKindName = (typeof CARD_KINDS)[number];
export const CARD_KIND_LABELS: Readonly<Record<CardKindName, string>> = { social_security: '社保卡', resident_id: '身份证' };

export const readerViewSchema = z.object({
  kind: z.enum(CARD_KINDS),
  name: z.string(),
  setting: z.string(),
  simulated: z.boolean(),
  state: z.enum(['connected', 'disconnected', 'none']),
  detail: z.string(),
});
export type ReaderView = z.infer<typeof readerViewSchema>;

export const deviceOverviewSchema = z.object({ printer: printerViewSchema, readers: z.array(readerViewSchema) });
export type DeviceOverview = z.infer<typeof deviceOverviewSchema>;

/** 'simulated', 'none' or a serial port such as 'serial:COM5?baud=9600' or 'serial:/dev/ttyUSB1'. */
const readerSettingSchema = z
  .string()
  .trim()
  .regex(/^(simulated|none|serial:[^?\s]+(\?baud=\d+)?)$/, '读卡器应为 simulated、none 或 serial:串口?baud=波特率');

export const PAPER_COLUMNS_ALLOWED: Readonly<Record<58 | 80, readonly number[]>> = { 58: [32], 80: [42, 48] };

export const deviceSettingsSchema = z
  .object({
    printerUri: z.string().trim().min(1, '请填写打印机地址').max(200),
    paperMm: z.union([z.literal(58), z.literal(80)]),
    columns: z.union([z.literal(32), z.literal(42), z.literal(48)]),
    cut: z.boolean(),
    socialSecurityReader: readerSettingSchema,
    idCardReader: readerSettingSchema,
  })
  .refine((s) => PAPER_COLUMNS_ALLOWED[s.paperMm].includes(s.columns), {
    message: '58毫米纸为32列；80毫米纸为42或48列',
    path: ['columns'],
  });
export type DeviceSettingsView = z.infer<typeof deviceSettingsSchema>;

// ---- cards ----

/** A card as the workbench receives it. The full ID number only travels for a person not yet registered. */
export const cardViewSchema = z.object({
  kind: z.enum(CARD_KINDS),
  name: z.string(),
  idNumberMasked: z.string(),
  /** Present only when nobody in the registry has this number, to prefill the registration form. */
  idNumber: z.string().nullable(),
  sex: z.enum(['male', 'female', 'unknown']),
  birthDate: z.string(),
  cardNumber: z.string().nullable(),
  personId: z.string().nullable(),
});
export type CardView = z.infer<typeof cardViewSchema>;

export const demoCardHolderSchema = z.object({
  idNumber: z.string(),
  name: z.string(),
  /** Generation of the social security card; null: the person has none (a residence permit holder). */
  socialSecurityGeneration: z.number().int().nullable(),
  documentLabel: z.string(),
});

export const devicesMethods = {
  'devices.overview': method({ params: empty, result: deviceOverviewSchema, access: 'session' }),
  'devices.settings': method({ params: empty, result: deviceSettingsSchema, access: ['admin'] }),
  /** Audited; takes effect at once (the printer is reopened, readers restarted). */
  'devices.saveSettings': method({ params: deviceSettingsSchema, result: deviceSettingsSchema, access: ['admin'] }),

  /** Jobs still needing attention, and the latest ones. */
  'print.queue': method({ params: empty, result: z.object({ jobs: z.array(printJobSchema) }), access: FRONT }),
  /** The teller's decision on an uncertain, blocked or waiting job; audited. */
  'print.resolve': method({
    params: z.object({ jobId: z.string(), action: z.enum(PRINT_RESOLUTIONS) }).strict(),
    result: printJobSchema,
    access: FRONT,
  }),
  /** A deliberate reprint (补打): a new job, marked on paper and audited. */
  'document.reprint': method({ params: z.object({ documentId: z.string() }).strict(), result: printJobSchema, access: FRONT }),
  'printer.test': method({ params: empty, result: printJobSchema, access: ['admin'] }),
  /** Demo and training: put the virtual printer out of paper or offline. */
  'printer.simulate': method({
    params: z.object({ paper: z.enum(['ok', 'near_end', 'out']).optional(), offline: z.boolean().optional() }).strict(),
    result: printerViewSchema,
    access: FRONT,
  }),
  /** What the virtual printer printed last: decoded text and a picture (PNG data URL). */
  'printer.lastOutput': method({
    params: empty,
    result: z.object({ jobId: z.string(), text: z.string(), png: z.string() }).nullable(),
    access: FRONT,
  }),

  /** F1: announces the card in the reader now, or waits briefly for one; false when none came. */
  'card.read': method({ params: empty, result: z.object({ found: z.boolean() }), access: FRONT }),
  'card.demoPeople': method({ params: empty, result: z.array(demoCardHolderSchema), access: FRONT }),
  /** Demo and training: drive a simulated reader. */
  'card.simulate': method({
    params: z.discriminatedUnion('action', [
      z.object({ action: z.literal('insert'), reader: z.enum(CARD_KINDS), idNumber: z.string() }).strict(),
      z.object({ action: z.enum(['remove', 'garble', 'unplug', 'replug']), reader: z.enum(CARD_KINDS) }).strict(),
    ]),
    result: ok,
    access: FRONT,
  }),
} as const;
