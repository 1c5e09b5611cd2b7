/**
 * The ceremony step kinds (docs/operator-guide.md, "What each step does"), and their registration
 * in a step registry. The runner's built-in kinds (check-environment, read-aloud, signoff, seal)
 * need no other layer; these reach HSMs, the witness and the evidence writer, so the layer that
 * assembles the tool (the CLI, the demo) registers them.
 */
import { defaultStepRegistry } from '../../registry.js';
import type { StepRegistry } from '../../registry.js';
import type { StepKind } from '../../step-kind.js';
import { assembleKeySet } from './assemble-key-set.js';
import { buildEvidence } from './build-evidence.js';
import { buildValidationBundle } from './build-validation-bundle.js';
import { collectAttestations } from './collect-attestations.js';
import { countersignStep } from './countersign.js';
import { generateKeys } from './generate-keys.js';
import { verifyHsmIdentity } from './verify-hsm-identity.js';
import { witnessSubmit } from './witness-submit.js';

/** Every ceremony step kind, in the order a ceremony runs them. */
export const ceremonyStepKinds: readonly StepKind[] = [
  verifyHsmIdentity,
  generateKeys,
  collectAttestations,
  assembleKeySet,
  witnessSubmit,
  countersignStep,
  buildValidationBundle,
  buildEvidence,
];

/**
 * Registers the ceremony kinds in `registry` (default: the default registry the CLI uses). Kinds
 * already registered under these names are left as they are, so calling it twice is harmless.
 */
export function registerCeremonyStepKinds(registry: StepRegistry = defaultStepRegistry()): StepRegistry {
  for (const k of ceremonyStepKinds) if (registry.get(k.kind) === undefined) registry.register(k);
  return registry;
}
