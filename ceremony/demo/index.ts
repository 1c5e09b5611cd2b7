/**
 * `fleet-ceremony demo`: a full rehearsal ceremony on embedded defaults, then its offline
 * verification (docs/operator-guide.md, "The demo"). Re-exports only.
 */
export { runDemo } from './run-demo.js';
export type { DemoResult } from './run-demo.js';
export { DEMO_FILES, DEMO_HSMS, DEMO_NAMESPACE, DEMO_WITNESS_ORIGIN, defaultDemoDir } from './options.js';
export type { DemoOptions } from './options.js';
export { formatDemoSummary } from './summary.js';
export { setUpDemo } from './setup.js';
export type { DemoSetup } from './setup.js';
export { demoTrustFile } from './trust.js';
export type { DemoAnchors } from './trust.js';
