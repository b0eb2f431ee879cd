import { z } from 'zod';
import type { ReviewLevel } from '../catalogue/schema';
import { fail, ok, type Result } from '../result';
import type { Role } from '../roles';

/**
 * The life of a case (案件) under the integrated teller model: the front accepts (前台综合受理), the back office
 * reviews and approves as the sub-item's review level requires (后台分类审批), one window hands out the result
 * (统一窗口出件). Separation of duties (受审分离) is part of every transition: whoever accepted a case (or
 * resubmitted it with new materials) may never review or approve it, and whoever took a review decision on it may
 * never approve it. The same function decides in the core, in the UI (which buttons to show) and on the central
 * server (which synced intents to refuse).
 */
export const CASE_STATUSES = [
  'draft',
  'accepted',
  'pending_review',
  'pending_approval',
  'approved',
  'rejected',
  'returned',
  'ready_for_pickup',
  'delivered',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  draft: '草稿',
  accepted: '已受理',
  pending_review: '待复核',
  pending_approval: '待审批',
  approved: '已核准',
  rejected: '不予办理',
  returned: '退回补正材料',
  ready_for_pickup: '待领取',
  delivered: '已出件',
  withdrawn: '已撤回',
};

export const CASE_ACTIONS = [
  'accept',
  'complete',
  'submit_for_review',
  'pass_review',
  'approve',
  'reject',
  'return_for_materials',
  'resubmit',
  'withdraw',
  'mark_ready',
  'deliver',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Readonly<Record<CaseAction, string>> = {
  accept: '受理',
  complete: '办结',
  submit_for_review: '提交复核',
  pass_review: '复核通过',
  approve: '审批通过',
  reject: '不予办理',
  return_for_materials: '退回补正',
  resubmit: '补正后重新提交',
  withdraw: '撤回',
  mark_ready: '转待领取',
  deliver: '出件',
};

export const caseStatusSchema = z.enum(CASE_STATUSES, { error: '未知的案件状态' });
export const caseActionSchema = z.enum(CASE_ACTIONS, { error: '未知的案件操作' });

export interface CaseSnapshot {
  readonly status: CaseStatus;
  readonly reviewLevel: ReviewLevel;
  /** Operators who accepted the case or resubmitted it with new materials: never its reviewers or approvers. */
  readonly acceptedBy: readonly string[];
  /** Operators who took a review decision on it (pass, reject, return): never its approvers. */
  readonly reviewedBy: readonly string[];
}

export interface CaseActor {
  readonly operatorId: string;
  readonly roles: readonly Role[];
}

export type CaseRejection = 'invalid_transition' | 'review_level' | 'role' | 'separation_of_duties';

/** Which duty a transition exercises, and so which earlier participants are barred from it. */
type Duty = 'front' | 'review' | 'approval' | 'delivery';

interface Transition {
  readonly action: CaseAction;
  readonly from: readonly CaseStatus[];
  readonly to: (snapshot: CaseSnapshot) => CaseStatus;
  readonly roles: readonly Role[];
  readonly duty: Duty;
  /** Review levels the transition is for; all when absent. */
  readonly levels?: readonly ReviewLevel[];
  /** Whether the actor joins the front-office participants (acceptedBy). */
  readonly recordsAcceptor?: boolean;
}

const to = (status: CaseStatus) => () => status;

const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['draft'], to: to('accepted'), roles: ['teller'], duty: 'front', recordsAcceptor: true },
  // Level 1: the teller's own check is the whole review (一级审核).
  { action: 'complete', from: ['accepted'], to: to('approved'), roles: ['teller'], duty: 'front', levels: [1] },
  { action: 'reject', from: ['accepted'], to: to('rejected'), roles: ['teller'], duty: 'front', levels: [1] },
  { action: 'submit_for_review', from: ['accepted'], to: to('pending_review'), roles: ['teller'], duty: 'front', levels: [2, 3] },
  {
    action: 'pass_review',
    from: ['pending_review'],
    to: (snapshot) => (snapshot.reviewLevel === 3 ? 'pending_approval' : 'approved'),
    roles: ['reviewer'],
    duty: 'review',
  },
  { action: 'reject', from: ['pending_review'], to: to('rejected'), roles: ['reviewer'], duty: 'review' },
  { action: 'return_for_materials', from: ['pending_review'], to: to('returned'), roles: ['reviewer'], duty: 'review' },
  { action: 'approve', from: ['pending_approval'], to: to('approved'), roles: ['approver'], duty: 'approval' },
  { action: 'reject', from: ['pending_approval'], to: to('rejected'), roles: ['approver'], duty: 'approval' },
  { action: 'return_for_materials', from: ['pending_approval'], to: to('returned'), roles: ['approver'], duty: 'approval' },
  { action: 'resubmit', from: ['returned'], to: to('pending_review'), roles: ['teller'], duty: 'front', recordsAcceptor: true },
  {
    action: 'withdraw',
    from: ['draft', 'accepted', 'pending_review', 'pending_approval', 'returned'],
    to: to('withdrawn'),
    roles: ['teller'],
    duty: 'front',
  },
  { action: 'mark_ready', from: ['approved'], to: to('ready_for_pickup'), roles: ['teller', 'reviewer', 'approver'], duty: 'delivery' },
  { action: 'deliver', from: ['approved', 'ready_for_pickup'], to: to('delivered'), roles: ['teller'], duty: 'delivery' },
];

export const TERMINAL_STATUSES: ReadonlySet<CaseStatus> = new Set(['rejected', 'delivered', 'withdrawn']);

export function newCase(reviewLevel: ReviewLevel): CaseSnapshot {
  return { status: 'draft', reviewLevel, acceptedBy: [], reviewedBy: [] };
}

const ROLE_NAMES: Readonly<Record<Role, string>> = { teller: '综合柜员', reviewer: '复核员', approver: '审批人', admin: '系统管理员' };

function separationOfDutiesViolation(snapshot: CaseSnapshot, duty: Duty, operatorId: string): string | null {
  if ((duty === 'review' || duty === 'approval') && snapshot.acceptedBy.includes(operatorId)) {
    return '受审分离：您受理（或补正提交）了该案件，不能对其复核或审批';
  }
  if (duty === 'approval' && snapshot.reviewedBy.includes(operatorId)) {
    return '受审分离：您已复核过该案件，不能再对其审批';
  }
  return null;
}

/** Applies `action` by `actor` to a case, or says precisely why it is not allowed. */
export function applyCaseAction(snapshot: CaseSnapshot, action: CaseAction, actor: CaseActor): Result<CaseSnapshot, CaseRejection> {
  const transition = TRANSITIONS.find((t) => t.action === action && t.from.includes(snapshot.status));
  const actionName = CASE_ACTION_LABELS[action];
  if (!transition) {
    return fail('invalid_transition', `案件当前状态为“${CASE_STATUS_LABELS[snapshot.status]}”，不能执行“${actionName}”`);
  }
  if (transition.levels && !transition.levels.includes(snapshot.reviewLevel)) {
    return fail(
      'review_level',
      snapshot.reviewLevel === 1
        ? `该事项只需一级审核，由综合柜员直接办结，不能“${actionName}”`
        : `该事项需要${snapshot.reviewLevel === 3 ? '复核和审批' : '复核'}，不能由综合柜员“${actionName}”，请提交复核`,
    );
  }
  if (!transition.roles.some((role) => actor.roles.includes(role))) {
    return fail('role', `“${actionName}”需要${transition.roles.map((role) => ROLE_NAMES[role]).join('或')}权限`);
  }
  const violation = separationOfDutiesViolation(snapshot, transition.duty, actor.operatorId);
  if (violation) return fail('separation_of_duties', violation);

  const addOnce = (list: readonly string[]) => (list.includes(actor.operatorId) ? list : [...list, actor.operatorId]);
  return ok({
    status: transition.to(snapshot),
    reviewLevel: snapshot.reviewLevel,
    acceptedBy: transition.recordsAcceptor ? addOnce(snapshot.acceptedBy) : snapshot.acceptedBy,
    reviewedBy: transition.duty === 'review' ? addOnce(snapshot.reviewedBy) : snapshot.reviewedBy,
  });
}

/** The actions `actor` may take on the case now: the buttons the UI shows. */
export function availableCaseActions(snapshot: CaseSnapshot, actor: CaseActor): CaseAction[] {
  return CASE_ACTIONS.filter((action) => applyCaseAction(snapshot, action, actor).ok);
}
