export * from './form-fields';
export * from './schema';
