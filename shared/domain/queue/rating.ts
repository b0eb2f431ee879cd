/**
 * 好差评: the five levels a citizen gives a visit on the evaluator. The two lowest are bad reviews (差评): each opens
 * a follow-up (整改回访) due within 15 working days.
 */
export const RATING_LEVELS = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];

export const RATING_LABELS: Readonly<Record<RatingLevel, string>> = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
};

/** Score for averages: 5 for 非常满意 down to 1. */
export const RATING_SCORE: Readonly<Record<RatingLevel, number>> = {
  very_satisfied: 5,
  satisfied: 4,
  basically_satisfied: 3,
  dissatisfied: 2,
  very_dissatisfied: 1,
};

/** Optional aspects a citizen may mark as the reason of the rating. */
export const RATING_DIMENSIONS = ['attitude', 'efficiency', 'explanation', 'waiting', 'environment'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];
export const RATING_DIMENSION_LABELS: Readonly<Record<RatingDimension, string>> = {
  attitude: '服务态度',
  efficiency: '办事效率',
  explanation: '政策解释',
  waiting: '等候时间',
  environment: '大厅环境',
};

export const isBadRating = (level: RatingLevel) => level === 'dissatisfied' || level === 'very_dissatisfied';

/** Working days within which a bad review is followed up. */
export const FOLLOW_UP_WORKING_DAYS = 15;
