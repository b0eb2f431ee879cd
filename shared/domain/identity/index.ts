export * from './credit-code';
export * from './masking';
export * from './resident-id';
