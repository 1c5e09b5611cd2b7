/**
 * The ceremony runner (docs/runner.md): scripts, roles and sign-offs, the transcript, the step
 * engine and its built-in step kinds, the paper script and `init`. Re-exports only.
 */
export * from './script/index.js';
export * from '../transcript/index.js';
export * from './transcript/index.js';
export {
  checkIdentityKeyFile,
  encodeIdentityKey,
  generateIdentityKeyFile,
  identityPublicKey,
  signWithKeyFile,
  signWithToken,
  withIdentityKey,
} from './identity-key.js';
export type { IdentitySignature } from './identity-key.js';
export { PARTICIPANTS_FORMAT, parseParticipantsFile, readParticipantsFile } from './participants-file.js';
export { checkParticipantFiles, resolveParticipants } from './participants.js';
export type { ResolveParticipantsOptions, ResolvedParticipant } from './participants.js';
export { clackPrompts, resolveSecret, unattendedPrompts } from './prompts.js';
export type { Choice, Prompts, TextOptions } from './prompts.js';
export {
  CONFIRM_ATTEMPTS,
  DEFAULT_CONFIRM_WORDS,
  confirmTyped,
  formatHex,
  readAloudText,
} from './confirm.js';
export type { Confirmation } from './confirm.js';
export { interactiveCollector, unattendedCollector } from './collectors.js';
export type {
  CollectedSignoff,
  SignoffCollector,
  SignoffRequest,
  TokenOpener,
  UnattendedOptions,
} from './collectors.js';
export { MAX_REFUSED_SIGNOFFS, runGate } from './gate.js';
export type { GateOptions } from './gate.js';
export type { RunFlags, StepContext, StepKind, StepOutputs, StepRecordKind } from './step-kind.js';
export { StepRegistry, createStepRegistry, defaultStepRegistry, registerStepKind } from './registry.js';
export {
  builtinStepKinds,
  checkEnvironment,
  readAloud,
  seal,
  signoffGate,
  systemZoneIsUtc,
} from './steps/index.js';
export { continueCeremony, runCeremony } from './engine.js';
export type { EngineOptions, RunResult } from './engine.js';
export { ceremonyPlan, ceremonyStartData, planText, signoffSummary } from './plan.js';
export type { PlanStep } from './plan.js';
export { formatDuration, pickRenderer, runTasks } from './tasklist.js';
export type { Task, TaskListMode, TaskListOptions } from './tasklist.js';
export { deviceSpec, openDevice, scriptPath } from './devices.js';
export type { DeviceRef } from './devices.js';
export { toolDigest, toolRoot, toolVersion } from './tool-digest.js';
export type { ToolDigest } from './tool-digest.js';
export { RUN_FORMAT, WORKDIR_FILES, createWorkdir, defaultWorkdir, lockWorkdir } from './workdir.js';
export { INIT_FILES, TEMPLATES, initCeremony, templatesDir } from './init.js';
export type { InitOptions, InitResult } from './init.js';
export * from './paper/index.js';
