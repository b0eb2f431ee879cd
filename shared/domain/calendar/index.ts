export * from './dates';
export * from './holidays-2026';
export * from './working-days';
