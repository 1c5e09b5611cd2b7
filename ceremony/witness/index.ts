/**
 * The witness: the independent signer of fleet key sets, its signing policy, keys, state, HTTP
 * API, tlog-witness cosigning, static export, operator client and namespace audit
 * (docs/witness.md). The audit log itself is in ./log (docs/witness-log.md). Re-exports only.
 */
export { WITNESS_REFUSALS, WitnessError, refuse } from './codes.js';
export type {
  RefusalDetails,
  WitnessRefusalCode,
  WitnessUsageErrorCode,
  WitnessVerificationErrorCode,
} from './codes.js';
export { DEFAULT_LIMITS, WITNESS_CONFIG_FORMAT } from './config/types.js';
export type {
  CosignedLogConfig,
  KeySource,
  NamespaceConfig,
  NamespaceRoot,
  OperatorConfig,
  OperatorKeyAlgorithm,
  RoleKeyConfig,
  StatementKeyConfig,
  WitnessConfig,
  WitnessHsmConfig,
  WitnessLimits,
} from './config/types.js';
export { NAMESPACE_NAME, OPERATOR_NAME, formatNamespaceRoot, parseNamespaceRoot } from './config/fields.js';
export { formatWitnessConfig, parseWitnessConfig } from './config/parse.js';
export { readWitnessConfig, updateWitnessConfig, witnessPaths, writeWitnessConfig } from './config/store.js';
export type { WitnessPaths } from './config/store.js';
export { addCosignedLog, addNamespace, parseOperatorSpec, updateNamespace } from './config/namespaces.js';
export type { NewNamespace } from './config/namespaces.js';
export { witnessKeygen } from './keys/keygen.js';
export type { WitnessKeygenOptions, WitnessKeygenResult } from './keys/keygen.js';
export { rotateStatementKey } from './keys/rotate.js';
export type { RotateOptions, RotateResult } from './keys/rotate.js';
export { selectStatementKey } from './keys/select.js';
export type { DatedKey } from './keys/select.js';
export { loadWitnessKeys } from './keys/signers.js';
export type { LoadKeysOptions, WitnessKeys } from './keys/signers.js';
export type { StatementSigner } from './keys/statement-signer.js';
export type { AsyncNoteSigner, LogSigner } from './keys/note-signers.js';
export { WitnessState } from './state/witness-state.js';
export type { CosignedCheckpoint } from './state/witness-state.js';
export type { StatementRecord } from './state/statements.js';
export {
  MAX_EPOCH,
  SUBMISSION_VERSION,
  decodeAttestations,
  decodeSubmission,
  encodeAttestations,
  encodeSubmission,
} from './policy/submission.js';
export type { Submission, SubmittedAttestation } from './policy/submission.js';
export { finishPending, signSubmission } from './policy/sign.js';
export type { SignResult } from './policy/sign.js';
export {
  decodeStoredCountersignature,
  encodeCountersignature,
  storeCountersignature,
} from './policy/countersignature.js';
export type { StoredCountersignature } from './policy/countersignature.js';
export {
  AUTH_HEADERS,
  REQUEST_SIGNATURE_CONTEXT,
  requestSigningMessage,
  signRequest,
} from './auth/request-signature.js';
export type { RequestSignatureFields, SignRequestOptions } from './auth/request-signature.js';
export { verifyRequest } from './auth/verify-request.js';
export { RateLimiter } from './auth/rate-limit.js';
export { addCheckpoint, TLOG_SIZE_CONTENT_TYPE } from './cosign/add-checkpoint.js';
export { parseAddCheckpoint } from './cosign/request.js';
export type { AddCheckpointRequest } from './cosign/request.js';
export type { WitnessContext } from './context.js';
export { Witness } from './witness.js';
export type { OpenWitnessOptions } from './witness.js';
export { createWitnessServer } from './server/app.js';
export type { WitnessServerOptions } from './server/app.js';
export { DEFAULT_LISTEN, parseListen, serveWitness } from './serve.js';
export type { ServingWitness } from './serve.js';
export { exportWitness } from './export.js';
export type { ExportWitnessResult } from './export.js';
export { getJson, postSigned, witnessUrl } from './client/http-client.js';
export type { ClientOptions, OperatorSigner } from './client/http-client.js';
export { parseAuditJson, parseInfoJson } from './client/reply.js';
export type { WitnessAudit, WitnessInfo } from './client/reply.js';
export { verifySignReply } from './client/verify-reply.js';
export type { ExpectedStatement } from './client/verify-reply.js';
export { submitFleetKeySet, uploadCountersignature } from './client/submit.js';
export type { SubmitOptions, SubmitResult } from './client/submit.js';
export { operatorSignerFromFile, operatorSignerFromHsm } from './operator/signer.js';
export { formatAttestationsJson, parseAttestationsJson } from './operator/attestations-file.js';
export { openWitnessSource } from './audit/source.js';
export type { WitnessSource } from './audit/source.js';
export { auditNamespace } from './audit/audit-namespace.js';
export { formatNamespaceAudit } from './audit/format.js';
export type {
  AuditProblem,
  AuditProblemCode,
  CheckStatus,
  EpochAudit,
  EpochChecks,
  NamespaceAudit,
} from './audit/types.js';
export { submitAsOperator } from './operator/submit-as-operator.js';
export type { SubmitAsOperatorOptions, SubmitAsOperatorResult } from './operator/submit-as-operator.js';
export { readVendorRootFiles } from './config/vendor-roots.js';
