/** Ceremony scripts (docs/ceremony-script.md): model, schema, strict YAML, validation. Re-exports only. */
export { SCRIPT_FORMAT } from './types.js';
export type {
  CeremonyInfo,
  CeremonyKind,
  CeremonyScript,
  FleetKey,
  OperatorKey,
  Outputs,
  PreviousEpoch,
  Quorum,
  ReadAloudItem,
  ScriptHsm,
  ScriptParticipant,
  ScriptStep,
  SignoffRequirement,
  TokenRef,
  Validity,
  VendorAttestationFiles,
  WitnessConfig,
} from './types.js';
export { ScriptError, dotted, formatIssue, sortIssues } from './issues.js';
export type { PendingIssue, ScriptIssue, ScriptPath } from './issues.js';
export { MAX_SCRIPT_BYTES, parseYaml, pointer } from './yaml.js';
export type { NodePosition, ParsedYaml, YamlPosition } from './yaml.js';
export { positionOf, schemaIssues, scriptSchemaPath } from './schema.js';
export { requiredCount, semanticIssues } from './semantic.js';
export type { StepCheck } from './semantic.js';
export { BUILTIN_VALUES } from './semantic-steps.js';
export { vendorAttestationFormats } from './semantic-attestation.js';
export { loadScript, parseScript, scriptFileName } from './load.js';
export type { LoadScriptOptions, LoadedScript } from './load.js';
