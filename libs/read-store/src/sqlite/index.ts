export * from './sqlite-read-store';
export { openSharedReadStore } from './shared-read-store';
