/** The list of built-in step kinds, which need no other layer. */
import type { StepKind } from '../step-kind.js';
import { checkEnvironment } from './check-environment.js';
import { readAloud, seal, signoffGate } from './gates.js';

/** Every built-in kind, as the default registry holds them. */
export const builtinStepKinds: readonly StepKind[] = [checkEnvironment, readAloud, signoffGate, seal];
