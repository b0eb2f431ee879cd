/** Domain rules shared by the core, the UI and the central server: pure TypeScript, no Node, no DOM. */
export * from './calendar';
export * from './cases';
export * from './catalogue';
export * from './contributions';
export * from './identity';
export * from './money';
export * from './region';
export * from './result';
export * from './roles';
export * from './text/user-input';
