import { z } from 'zod';
import { businessDateSchema, daysBetween } from '../domain/calendar/dates';
import { empty, method } from './define';

/**
 * The three audit classes of the log review (数据库日志审查机制: 重点审计类、一般审计类、事中审计类): key operations
 * change money, rights or security; general ones change ordinary data; in-process ones are steps inside a case.
 */
export const AUDIT_CLASSES = ['key', 'general', 'in_process'] as const;
export type AuditClass = (typeof AUDIT_CLASSES)[number];
export const auditClassSchema = z.enum(AUDIT_CLASSES, { error: '审计类别只能是关键操作、一般操作或过程操作' });

export const AUDIT_CLASS_LABELS: Readonly<Record<AuditClass, string>> = {
  key: '关键操作',
  general: '一般操作',
  in_process: '过程操作',
};

/** Chinese names of the actions the counter writes; an action missing here is shown by its code. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'auth.login': '登录',
  'auth.logout': '退出登录',
  'auth.login_failed': '登录失败',
  'auth.unlock_failed': '解锁失败',
  'person.create': '新增参保人员',
  'person.update': '修改人员信息',
  'person.reveal': '查看完整证件号码',
  'employer.create': '新增参保单位',
  'employer.update': '修改单位信息',
  'case.accept': '受理业务',
  'case.notice': '出具一次性告知单',
  'case.submit_for_review': '提交复核',
  'case.complete': '办结',
  'case.resubmit': '补正后重新提交',
  'case.mark_ready': '转待领取',
  'case.review': '复核',
  'case.approve': '审批',
  'case.reject': '不予办理',
  'case.return': '退回补正',
  'case.deliver': '出件',
  'case.withdraw': '撤回',
  'security.sod_refused': '违反受审分离被拒绝',
  'station.update': '修改站点设置',
  'accounts.create': '新增账号',
  'demo.seed': '初始化演示数据',
  'devices.settings': '修改设备设置',
  'document.reprint': '补打单据',
  'print.confirm': '确认已打印',
  'print.cancel': '取消打印任务',
  'printer.test': '打印测试页',
  'backup.create': '数据备份',
  'backup.settings': '修改备份设置',
  'backup.export_key': '导出恢复密钥',
  'queue.settings': '修改排队设置',
  'queue.issue': '取号',
  'queue.walk_in': '免取号办理',
  'queue.call_next': '叫号',
  'queue.call': '指定叫号',
  'queue.recall': '重呼',
  'queue.no_show': '过号',
  'queue.reactivate': '过号恢复',
  'queue.hold': '挂起',
  'queue.call_back': '挂起回呼',
  'queue.transfer': '转移',
  'queue.start': '开始办理',
  'queue.end': '办理结束',
  'queue.pause': '暂停服务',
  'queue.resume': '恢复服务',
  'queue.link_case': '关联业务',
  'rating.submit': '服务评价',
  'rating.paper': '录入纸质评价',
  'rating.follow_up_closed': '差评回访办结',
  'hall.rotate_device_key': '更换大厅设备密钥',
  'hall.pair': '配对大厅设备',
  'hall.unpaired': '解除大厅设备配对',
  'hall.link_set': '设置大厅主机连接',
  'hall.visits_handed_over': '移交断网期间的办理记录',
  'queue.categories_published': '中心下发取号类别',
  'station.rename': '修改站点名称',
  'station.idle_lock': '修改自动锁屏时间',
  'station.window_add': '新增窗口',
  'station.window_remove': '停用窗口',
  'backup.restore': '恢复备份',
  'backup.restore_staged': '备份待重启恢复',
  'backup.restore_cancelled': '取消待恢复备份',
  'backup.restore_refused': '拒绝恢复备份',
  'backup.restart': '重启以完成恢复',
  'sync.bootstrap': '首次连接中心',
  'sync.enrol': '注册到中心',
  'sync.reset': '重置同步',
  'sync.resolve_inbox': '处理同步问题',
  'day.freeze': '日结冻结',
  'day.close': '日结',
  'day.reconciled': '日结与中心核对一致',
  'day.carried_over': '日结结转',
  'case.page_attach': '采集材料影像',
  'case.page_remove': '删除材料影像',
  'archive.file': '归档',
  'archive.seal': '封存档案',
  'archive.supplement': '补充归档',
  'archive.retention': '修改保管期限',
  'archive.auto_seal': '修改自动封存设置',
  'archive.compression': '修改影像压缩设置',
  'scanner.settings': '设置扫描文件夹',
  'scanner.filed': '扫描文件归入案件',
};

export const CHAIN_PROBLEMS = ['modified', 'deleted', 'reordered', 'inserted', 'unlinked'] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];

export const CHAIN_PROBLEM_LABELS: Readonly<Record<ChainProblem, string>> = {
  modified: '记录被修改',
  deleted: '记录被删除',
  reordered: '记录顺序被改动',
  inserted: '记录被插入',
  unlinked: '哈希链接断开',
};

export const chainVerificationSchema = z.object({
  ok: z.boolean(),
  /** Entries in the log, whether or not all of them were reached. */
  entries: z.int(),
  /** The newest entry and its hash when the chain is intact: an anchor to record elsewhere. */
  headSeq: z.int().nullable(),
  headHash: z.string().nullable(),
  /** Entries below this seq were verified; from here on nothing can be trusted. */
  firstBadSeq: z.int().optional(),
  problem: z.enum(CHAIN_PROBLEMS).optional(),
  message: z.string(),
});
export type ChainVerification = z.infer<typeof chainVerificationSchema>;

export const auditEntrySchema = z.object({
  seq: z.int(),
  id: z.string(),
  at: z.string(),
  stationCode: z.string(),
  windowNo: z.int().nullable(),
  operatorId: z.string().nullable(),
  /** From the operator table; null for system actions and unknown operators. */
  operatorName: z.string().nullable(),
  action: z.string(),
  class: auditClassSchema,
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  /** Parsed, with personal numbers masked: the audit view is not a way around person.reveal. */
  before: z.json().nullable(),
  after: z.json().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const SCREENING_RULES = ['off_hours', 'refunds', 'repeated_person_edits', 'sod_attempt', 'failed_logins'] as const;
export type ScreeningRule = (typeof SCREENING_RULES)[number];
export const SCREENING_RULE_LABELS: Readonly<Record<ScreeningRule, string>> = {
  off_hours: '非工作时间操作',
  refunds: '单日退费业务过多',
  repeated_person_edits: '反复修改同一人员信息',
  sod_attempt: '违反受审分离的尝试',
  failed_logins: '连续登录失败',
};

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = { high: '高', medium: '中', low: '低' };

export const findingSchema = z.object({
  rule: z.enum(SCREENING_RULES),
  severity: z.enum(SEVERITIES),
  /** Null when the entries involve several operators or none known (a failed login with an unknown username). */
  operatorId: z.string().nullable(),
  seqs: z.array(z.int()),
  message: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

const MAX_SCREEN_DAYS = 366;

const fromNotAfterTo = (p: { from?: string | undefined; to?: string | undefined }) => !p.from || !p.to || p.from <= p.to;
const RANGE_ORDER = { error: '结束日期不能早于开始日期', path: ['to'] };

const auditListParamsSchema = z
  .object({
    class: auditClassSchema.optional(),
    operatorId: z.string().min(1).optional(),
    action: z.string().min(1).max(64).optional(),
    /** Business dates in the station's zone, both included. */
    from: businessDateSchema.optional(),
    to: businessDateSchema.optional(),
    limit: z.int().min(1).max(500, '每次最多查询500条').default(100),
    /** Paging backwards: only entries older than this seq. */
    beforeSeq: z.int().min(1).optional(),
  })
  .strict()
  .refine(fromNotAfterTo, RANGE_ORDER);

export const auditMethods = {
  'audit.verify': method({ params: empty, result: chainVerificationSchema, access: ['admin'] }),
  /** Newest first; `nextBeforeSeq` is the beforeSeq of the next page, null on the last one. */
  'audit.list': method({
    params: auditListParamsSchema,
    result: z.object({ entries: z.array(auditEntrySchema), nextBeforeSeq: z.int().nullable() }),
    access: ['admin'],
  }),
  'audit.screen': method({
    params: z
      .object({ from: businessDateSchema, to: businessDateSchema })
      .strict()
      .refine(fromNotAfterTo, RANGE_ORDER)
      .refine((p) => daysBetween(p.from, p.to) < MAX_SCREEN_DAYS, {
        error: `一次筛查的日期范围不超过${MAX_SCREEN_DAYS}天`,
        path: ['to'],
        // Day arithmetic needs two real dates, so only once everything else holds.
        when: (payload) => payload.issues.length === 0,
      }),
    result: z.array(findingSchema),
    access: ['admin'],
  }),
} as const;
