/** Operator roles. Rights are derived from these in the core, never trusted from the client. */
export const ROLES = ['teller', 'reviewer', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];
