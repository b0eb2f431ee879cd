import type { Role } from '../domain/roles';

/** Chinese labels for roles, shown in the UI. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  teller: '综合柜员',
  reviewer: '复核员',
  approver: '审批人',
  admin: '系统管理员',
};
