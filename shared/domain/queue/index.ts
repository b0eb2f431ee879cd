export * from './announce';
export * from './calling';
export * from './categories';
export * from './rating';
export * from './settings';
export * from './stats';
export * from './ticket';
