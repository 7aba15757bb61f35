/** The SpaceTraders API client: import from here. */
export * from './client.js';
export * from './errors.js';
export * from './limiter.js';
export * from './clock.js';
export * from './metrics.js';
export * from './paginate.js';
export * from './retry-policy.js';
export * from './symbols.js';
export type * from './types.js';
export { CLIENT_VERSION, USER_AGENT } from './transport.js';
