/**
 * fleet-ceremony: the library. Re-exports only; see docs/ for the formats.
 *
 * The root carries the verification API third parties call (DESIGN §5). Subpaths give each
 * concern whole: `fleet-ceremony/codec`, `/crypto`, `/tlog`, `/statement`, `/attest`, `/hsm`.
 */
export * from './errors.js';
export * from './tlog/index.js';
export * from './statement/index.js';
