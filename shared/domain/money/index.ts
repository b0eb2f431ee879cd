export * from './capital-amount';
export * from './fen';
export * from './rounding';
