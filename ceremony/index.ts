/**
 * fleet-ceremony: the library. Re-exports only; see docs/ for the formats.
 */
export * from './errors.js';
