/**
 * Shared X.509 helpers of the attestation formats: a strict DER reader, a certificate parser that
 * keeps the signed bytes, signature verification, path building and validation with named vendor
 * deviations. Re-exports only.
 */
export { TAG, decodeDer, derChildren, derError, derSequence, expectTag, readElement } from './der.js';
export type { DerElement } from './der.js';
export {
  decodeWhole,
  derBitStringBits,
  derBitStringBytes,
  derBoolean,
  derInteger,
  derNull,
  derOctetString,
  derOid,
  derTime,
  derUtf8String,
} from './der-values.js';
export { MAX_CERTIFICATE_BYTES, findExtension, parseAlgorithmId, parseCertificate } from './certificate.js';
export type { AlgorithmId, CertificateExtension, ParsedCertificate } from './certificate.js';
export { nameAttribute, nameToString } from './name.js';
export {
  KEY_ALGORITHM_OIDS,
  NAMED_CURVES,
  encodeEcSpki,
  encodeRsaSpki,
  keyAlgorithmName,
  parseSpki,
  publicKeyProblem,
} from './spki.js';
export type { CurveName, SpkiKey } from './spki.js';
export { MIN_RSA_BITS, ecdsaDerToRaw, verifySignature } from './signature.js';
export type { SignatureCheck } from './signature.js';
export {
  BASIC_CONSTRAINTS,
  KEY_USAGE,
  KEY_USAGE_BIT,
  basicConstraints,
  keyUsage,
  readExtension,
  readRawExtension,
} from './extensions.js';
export type { BasicConstraintsValue } from './extensions.js';
export { CHAIN_DEVIATIONS } from './deviations.js';
export type { AcceptedDeviation, ChainDeviation } from './deviations.js';
export { verifyChain, verifyChainAnyRoot } from './chain.js';
export type { ChainOptions, ChainVerification } from './chain.js';
export { checkIssuer, checkValidity } from './chain-checks.js';
export {
  MAX_CHAIN_CERTIFICATES,
  MAX_TRUSTED_ROOTS,
  checkTime,
  describeMalformed,
  parseTrustedRoots,
  parseX509Evidence,
  selfContainedStatement,
  signerPath,
  verifyX509Statement,
} from './evidence.js';
export type { TrustedRoots, X509Evidence, X509Statement } from './evidence.js';
