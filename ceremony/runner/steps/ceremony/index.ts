/**
 * The ceremony step kinds (HSM identity, key generation, attestations, the fleet key set, the
 * witness, the counter-signature, the validation bundle, the evidence plan) and the evidence
 * package written after the seal. Re-exports only.
 */
export { ceremonyStepKinds, registerCeremonyStepKinds } from './kinds.js';
export { verifyHsmIdentity } from './verify-hsm-identity.js';
export { generateKeys, usagesFor, wantedKeys } from './generate-keys.js';
export {
  ceremonyProfile,
  collectAttestations,
  readAttestationFile,
  scriptVendorRoots,
} from './collect-attestations.js';
export { assembleKeySet } from './assemble-key-set.js';
export { DEFAULT_WITNESS_DIR, LOCAL_REHEARSAL, witnessSubmit } from './witness-submit.js';
export { exchangeWithWitness } from './witness-exchange.js';
export type { ExchangeOptions, WitnessAnswer } from './witness-exchange.js';
export { countersignStep } from './countersign.js';
export { buildValidationBundle } from './build-validation-bundle.js';
export { buildEvidence } from './build-evidence.js';
export { EVIDENCE_PLAN_FORMAT, readPlan } from './evidence-plan.js';
export type { EvidencePlan } from './evidence-plan.js';
export { writeCeremonyEvidence } from './finish.js';
export type { CeremonyEvidence, FinishOptions } from './finish.js';
export { selfTestKey } from './self-test.js';
export type { SelfTestMethod } from './self-test.js';
export { ARTIFACTS } from './artifacts.js';
export { DEFAULT_TRUST_FILE } from './params.js';
export { TEST_KILL_ENV, testKillPoint } from './test-kill.js';
