import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles';
import {
  CASE_ACTIONS,
  CASE_STATUSES,
  TERMINAL_STATUSES,
  applyCaseAction,
  availableCaseActions,
  newCase,
  type CaseAction,
  type CaseActor,
  type CaseSnapshot,
  type CaseStatus,
} from './state-machine';

const teller = (id: string): CaseActor => ({ operatorId: id, roles: ['teller'] });
const reviewer = (id: string): CaseActor => ({ operatorId: id, roles: ['reviewer'] });
const approver = (id: string): CaseActor => ({ operatorId: id, roles: ['approver'] });

function run(start: CaseSnapshot, steps: [CaseAction, CaseActor][]): CaseSnapshot {
  return steps.reduce((snapshot, [action, actor]) => {
    const result = applyCaseAction(snapshot, action, actor);
    if (!result.ok) throw new Error(`${action} by ${actor.operatorId}: ${result.message}`);
    return result.value;
  }, start);
}

/** The edges the issue allows, written out independently of the implementation's table. */
const ALLOWED_EDGES = new Set([
  'draft→accepted',
  'draft→withdrawn',
  'accepted→approved',
  'accepted→rejected',
  'accepted→pending_review',
  'accepted→withdrawn',
  'pending_review→pending_approval',
  'pending_review→approved',
  'pending_review→rejected',
  'pending_review→returned',
  'pending_review→withdrawn',
  'pending_approval→approved',
  'pending_approval→rejected',
  'pending_approval→returned',
  'pending_approval→withdrawn',
  'returned→pending_review',
  'returned→withdrawn',
  'approved→ready_for_pickup',
  'approved→delivered',
  'ready_for_pickup→delivered',
]);

describe('case state machine', () => {
  it('runs an immediate level-1 case at one window', () => {
    const done = run(newCase(1), [
      ['accept', teller('t1')],
      ['complete', teller('t1')],
      ['deliver', teller('t1')],
    ]);
    expect(done.status).toBe('delivered');
  });

  it('runs a level-3 case through review and approval, with a return for more materials', () => {
    const approved = run(newCase(3), [
      ['accept', teller('t1')],
      ['submit_for_review', teller('t1')],
      ['return_for_materials', reviewer('r1')],
      ['resubmit', teller('t2')],
      ['pass_review', reviewer('r2')],
      ['approve', approver('a1')],
    ]);
    expect(approved).toEqual({ status: 'approved', reviewLevel: 3, acceptedBy: ['t1', 't2'], reviewedBy: ['r1', 'r2'] });
    expect(
      run(approved, [
        ['mark_ready', reviewer('r2')],
        ['deliver', teller('t3')],
      ]).status,
    ).toBe('delivered');
  });

  it('sends a level-2 case straight to approved after review', () => {
    const reviewed = run(newCase(2), [
      ['accept', teller('t1')],
      ['submit_for_review', teller('t1')],
      ['pass_review', reviewer('r1')],
    ]);
    expect(reviewed.status).toBe('approved');
  });

  it('never lets the acceptor review or approve, nor a reviewer approve', () => {
    const multiRole: CaseActor = { operatorId: 'x', roles: ['teller', 'reviewer', 'approver'] };
    const pendingReview = run(newCase(3), [
      ['accept', multiRole],
      ['submit_for_review', multiRole],
    ]);
    const ownReview = applyCaseAction(pendingReview, 'pass_review', multiRole);
    expect(ownReview).toMatchObject({ ok: false, reason: 'separation_of_duties' });
    expect(!ownReview.ok && ownReview.message).toContain('受审分离');

    const pendingApproval = run(pendingReview, [['pass_review', { operatorId: 'r', roles: ['reviewer', 'approver'] }]]);
    expect(applyCaseAction(pendingApproval, 'approve', multiRole)).toMatchObject({ ok: false, reason: 'separation_of_duties' });
    const reviewerApproves = applyCaseAction(pendingApproval, 'approve', { operatorId: 'r', roles: ['reviewer', 'approver'] });
    expect(!reviewerApproves.ok && reviewerApproves.message).toBe('受审分离：您已复核过该案件，不能再对其审批');
    expect(applyCaseAction(pendingApproval, 'return_for_materials', { operatorId: 'r', roles: ['approver'] }).ok).toBe(false);
    expect(applyCaseAction(pendingApproval, 'approve', approver('a')).ok).toBe(true);
  });

  it('explains refusals precisely', () => {
    const accepted = run(newCase(2), [['accept', teller('t1')]]);
    expect(applyCaseAction(accepted, 'complete', teller('t1'))).toMatchObject({ ok: false, reason: 'review_level' });
    expect(applyCaseAction(run(newCase(1), [['accept', teller('t1')]]), 'submit_for_review', teller('t1'))).toMatchObject({
      ok: false,
      reason: 'review_level',
    });
    const wrongRole = applyCaseAction(newCase(1), 'accept', reviewer('r1'));
    expect(!wrongRole.ok && wrongRole.message).toBe('“受理”需要综合柜员权限');
    const wrongState = applyCaseAction(newCase(1), 'approve', approver('a1'));
    expect(!wrongState.ok && wrongState.message).toBe('案件当前状态为“草稿”，不能执行“审批通过”');
    expect(applyCaseAction(newCase(1), 'accept', { operatorId: 'admin', roles: ['admin'] })).toMatchObject({ ok: false, reason: 'role' });
  });

  it('holds its rules over random sequences of actions and actors', () => {
    // Three operators, so the same person often tries to act twice on one case.
    const actors = fc.record({
      operatorId: fc.constantFrom('o1', 'o2', 'o3'),
      roles: fc.uniqueArray(fc.constantFrom<Role>(...ROLES), { minLength: 1 }),
    });
    // Three steps in four pick one of the actions that move the case on for this actor, so deep states are reached
    // often; the rest (and steps where the actor can do nothing) try any action, which is mostly refused.
    const steps = fc.array(fc.record({ actor: actors, guided: fc.nat(3), choice: fc.nat(), anyAction: fc.constantFrom(...CASE_ACTIONS) }), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 3 as const), steps, (level, sequence) => {
        let snapshot = newCase(level);
        // The model: who did front-office work and who reviewed, from the successful steps alone.
        const front = new Set<string>();
        const reviewers = new Set<string>();
        let passedReview = false;
        let approvedBy: string | null = null;
        for (const { actor, guided, choice, anyAction } of sequence) {
          const available = availableCaseActions(snapshot, actor);
          const progress = available.filter((a) => a !== 'withdraw');
          const action = guided > 0 && progress.length > 0 ? (progress[choice % progress.length] ?? anyAction) : anyAction;
          const result = applyCaseAction(snapshot, action, actor);
          expect(available.includes(action)).toBe(result.ok);
          if (TERMINAL_STATUSES.has(snapshot.status)) expect(result.ok).toBe(false);
          if (!result.ok) continue;
          const from: CaseStatus = snapshot.status;
          const next = result.value;
          expect(CASE_STATUSES).toContain(next.status);
          expect(ALLOWED_EDGES.has(`${from}→${next.status}`)).toBe(true);
          expect(next.reviewLevel).toBe(level);
          if (from === 'pending_review' && action !== 'withdraw') {
            expect(actor.roles).toContain('reviewer');
            expect(front.has(actor.operatorId)).toBe(false);
            reviewers.add(actor.operatorId);
            if (action === 'pass_review') passedReview = true;
          }
          if (from === 'pending_approval' && action !== 'withdraw') {
            expect(actor.roles).toContain('approver');
            expect(front.has(actor.operatorId) || reviewers.has(actor.operatorId)).toBe(false);
            if (action === 'approve') approvedBy = actor.operatorId;
          }
          if (action === 'accept' || action === 'resubmit') {
            expect(actor.roles).toContain('teller');
            front.add(actor.operatorId);
          }
          if (next.status === 'approved' && from !== 'approved') {
            if (level >= 2) expect(passedReview).toBe(true);
            if (level === 3) expect(approvedBy).toBe(actor.operatorId);
            if (level === 1) expect(action).toBe('complete');
          }
          if (action === 'return_for_materials') passedReview = false;
          expect(new Set(next.acceptedBy)).toEqual(front);
          expect(new Set(next.reviewedBy)).toEqual(reviewers);
          snapshot = next;
        }
      }),
      { numRuns: 1000 },
    );
  });
});
