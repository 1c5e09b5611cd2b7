/** The built-in step kinds. Re-exports only. */
export { builtinStepKinds } from './builtin.js';
export { checkEnvironment, systemZoneIsUtc } from './check-environment.js';
export { readAloud, seal, signoffGate } from './gates.js';
