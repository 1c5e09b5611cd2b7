/**
 * The trust file (docs/trust-file.md): the anchors a verifier pins, and nothing else it trusts.
 * Witness statement keys with their validity (Plexi's /info model, for rotation), the witness
 * log's verifier key, optional cosigners with a quorum, operator keys, expected namespaces, HSM
 * vendor roots and attestation options, in one strict JSON file.
 *
 * Portable: no `node:` imports. The offline evidence verifier reads the same file.
 */
import { MAX_TRUSTED_ROOTS } from '../attest/x509/evidence.js';
import { parseSpki, publicKeyProblem } from '../attest/x509/spki.js';
import { pemDecodeAll } from '../codec/index.js';
import { SIGNATURE_TYPE_ED25519 } from '../tlog/index.js';
import type { Verifier } from '../tlog/index.js';
import { NAMESPACE_PATTERN } from './fleet-key-set-schema.js';
import { JsonReader } from './json-reader.js';
import type { Json } from './json-reader.js';
import type { TimeWindow } from './trust-validity.js';
import { operatorKeys, parseVkey, witnessKeys } from './trust-keys.js';

/** Version of the trust file format. */
export const TRUST_FILE_VERSION = 1;
/** Largest trust file accepted: 1 MiB of text. */
export const MAX_TRUST_FILE_LENGTH = 1 << 20;

/** A pinned witness statement key. Statements are accepted by their timestamp in `[notBefore, notAfter)`. */
export interface TrustedWitnessKey {
  /** Start of validity (ms since the Unix epoch), inclusive. */
  notBefore: number;
  /** End of validity (ms), exclusive; absent while the key is current. */
  notAfter?: number;
  /** 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
  /** Plexi key id: the last byte of the public key. */
  keyId: number;
}

/** A pinned operator key (the counter-signature key, held in an HSM). */
export interface TrustedOperatorKey extends TimeWindow {
  algorithm: 'ed25519' | 'p256';
  /** Ed25519: 32 bytes; P-256: SEC 1 uncompressed, 65 bytes. */
  publicKey: Uint8Array;
  /** `operatorKeyId(algorithm, publicKey)`, as carried in bundles. */
  keyId: number;
}

/** The parsed trust file. */
export interface Trust {
  version: number;
  profile: 'production' | 'rehearsal';
  /** The namespaces a client accepts bundles for. */
  namespaces: string[];
  witnessKeys: TrustedWitnessKey[];
  /** The witness log: its origin (the name of its key) and the verifier of its checkpoints. */
  log: { origin: string; verifier: Verifier };
  /** Cosigners of the log's checkpoints: `quorum` of `verifiers` must have cosigned (0 when none pinned). */
  cosigners: { verifiers: Verifier[]; quorum: number };
  operatorKeys: TrustedOperatorKey[];
  /**
   * HSM vendor roots per named vendor: DER certificates (`CERTIFICATE` blocks) and bare DER
   * SubjectPublicKeyInfos (`PUBLIC KEY` blocks, for formats whose root is a key, like nShield's
   * KWARN-1). {@link attestationRoots} lists both as `trustedRoots`.
   */
  vendorRoots: { name: string; certificates: Uint8Array[]; publicKeys: Uint8Array[] }[];
  attestation: { validateAtAttestationTime: boolean };
}

function witness(r: JsonReader, v: Json | undefined): Pick<Trust, 'witnessKeys' | 'log' | 'cosigners'> {
  const o = r.object(v, '$.witness', ['statement_keys', 'log_key'], ['cosigners']);
  const log = parseVkey(r, o.log_key, '$.witness.log_key');
  if (log.type !== SIGNATURE_TYPE_ED25519) {
    r.fail(
      'VKEY_INVALID',
      '$.witness.log_key',
      `signature type 0x${log.type.toString(16)}, want 0x01 (Ed25519 checkpoints)`,
    );
  }
  const cosigners: Trust['cosigners'] = { verifiers: [], quorum: 0 };
  if (o.cosigners !== undefined) {
    const c = r.object(o.cosigners, '$.witness.cosigners', ['keys', 'quorum']);
    const names = new Set([log.name]);
    cosigners.verifiers = r.array(c.keys, '$.witness.cosigners.keys', 1, 64).map((k, i) => {
      const path = `$.witness.cosigners.keys[${i}]`;
      const verifier = parseVkey(r, k, path);
      if (names.has(verifier.name)) {
        r.fail(
          'COSIGNER_NAME_INVALID',
          path,
          `name ${JSON.stringify(verifier.name)} repeats the log's or another cosigner's`,
        );
      }
      names.add(verifier.name);
      return verifier;
    });
    cosigners.quorum = r.integer(c.quorum, '$.witness.cosigners.quorum', 1, cosigners.verifiers.length);
  }
  return {
    witnessKeys: witnessKeys(r, o.statement_keys, '$.witness.statement_keys'),
    log: { origin: log.name, verifier: log },
    cosigners,
  };
}

function vendorRoots(r: JsonReader, v: Json | undefined): Trust['vendorRoots'] {
  if (v === undefined) return [];
  const roots = r.array(v, '$.hsm_vendor_roots', 0, 64).map((item, i) => vendorRoot(r, item, i));
  // The attestation verifiers take at most MAX_TRUSTED_ROOTS pinned roots: more would be refused
  // per attestation, long after the trust file was accepted.
  const total = roots.reduce((n, x) => n + x.certificates.length + x.publicKeys.length, 0);
  if (total > MAX_TRUSTED_ROOTS)
    r.fail(
      'FIELD_LENGTH',
      '$.hsm_vendor_roots',
      `${total} root certificates and keys in all, at most ${MAX_TRUSTED_ROOTS}`,
    );
  return roots;
}

function vendorRoot(r: JsonReader, item: Json, i: number): Trust['vendorRoots'][number] {
  const p = `$.hsm_vendor_roots[${i}]`;
  const o = r.object(item, p, ['name', 'pem']);
  const name = r.string(o.name, `${p}.name`, 128);
  if (name.trim() === '' || name !== name.trim())
    r.fail('FIELD_PATTERN', `${p}.name`, 'want a non-empty name without edge spaces');
  const text = r.string(o.pem, `${p}.pem`, 1 << 18);
  let blocks;
  try {
    blocks = pemDecodeAll(text, undefined, { lax: true, field: `${p}.pem` });
  } catch (cause) {
    return r.fail(
      'PEM_INVALID',
      `${p}.pem`,
      `want PEM CERTIFICATE or PUBLIC KEY blocks (${message(cause)})`,
      cause,
    );
  }
  const certificates: Uint8Array[] = [];
  const publicKeys: Uint8Array[] = [];
  blocks.forEach((b, j) => {
    if (b.label === 'CERTIFICATE') certificates.push(b.der);
    else if (b.label === 'PUBLIC KEY') {
      let problem: string | undefined;
      try {
        problem = publicKeyProblem(parseSpki(b.der, `${p}.pem[${j}]`));
      } catch (cause) {
        r.fail(
          'PEM_INVALID',
          `${p}.pem`,
          `block ${j}: not a DER SubjectPublicKeyInfo (${message(cause)})`,
          cause,
        );
      }
      if (problem !== undefined) r.fail('PEM_INVALID', `${p}.pem`, `block ${j}: ${problem}`);
      publicKeys.push(b.der);
    } else
      r.fail(
        'PEM_INVALID',
        `${p}.pem`,
        `block ${j} is labelled ${JSON.stringify(b.label.slice(0, 64))}; want CERTIFICATE or PUBLIC KEY`,
      );
  });
  return { name, certificates, publicKeys };
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Every pinned vendor root of `trust`, as `verifyAttestation`'s `trustedRoots`: each vendor's
 * certificates, then its public keys, in file order. Each format uses what fits it (X.509 formats
 * the certificates, nShield a P-521 key).
 */
export function attestationRoots(trust: Pick<Trust, 'vendorRoots'>): Uint8Array[] {
  return trust.vendorRoots.flatMap((v) => [...v.certificates, ...v.publicKeys]);
}

/**
 * Parses a trust file strictly: known version, no unknown or duplicate members, every key valid.
 *
 * @param jsonText - the file's text (at most {@link MAX_TRUST_FILE_LENGTH} characters).
 * @param file - its name, used in errors.
 * @returns the pinned anchors.
 * @throws MalformedError (with `file` and the JSON path in `field`) `TRUST_TOO_LARGE`,
 *   `TRUST_JSON_INVALID`, `TRUST_DUPLICATE_KEY`, `TRUST_FIELD_UNKNOWN`, `TRUST_FIELD_MISSING`,
 *   `TRUST_FIELD_TYPE`, `TRUST_FIELD_LENGTH`, `TRUST_FIELD_RANGE`, `TRUST_FIELD_PATTERN`,
 *   `TRUST_VERSION_UNSUPPORTED`, `TRUST_PROFILE_INVALID`, `TRUST_NAMESPACE_INVALID`,
 *   `TRUST_TIME_INVALID`, `TRUST_VALIDITY_INVALID`, `TRUST_KEY_INVALID`, `TRUST_KEY_DUPLICATE`,
 *   `TRUST_ALGORITHM_INVALID`, `TRUST_VKEY_INVALID`, `TRUST_COSIGNER_NAME_INVALID`,
 *   `TRUST_PEM_INVALID`.
 * @example const trust = parseTrustFile(await (await fetch('/trust.json')).text(), 'trust.json');
 */
export function parseTrustFile(jsonText: string, file?: string): Trust {
  const r: JsonReader = new JsonReader('TRUST', file);
  const root = r.object(
    r.parse(jsonText, MAX_TRUST_FILE_LENGTH),
    '$',
    ['version', 'profile', 'namespaces', 'witness', 'operator_keys'],
    ['hsm_vendor_roots', 'attestation'],
  );
  const version = r.integer(root.version, '$.version', 0, Number.MAX_SAFE_INTEGER);
  if (version !== TRUST_FILE_VERSION)
    r.fail('VERSION_UNSUPPORTED', '$.version', `got ${version}, want ${TRUST_FILE_VERSION}`);
  const profileText = r.string(root.profile, '$.profile');
  const profile = profileText === 'production' || profileText === 'rehearsal' ? profileText : undefined;
  if (profile === undefined) {
    r.fail(
      'PROFILE_INVALID',
      '$.profile',
      `got ${JSON.stringify(profileText.slice(0, 32))}, want production or rehearsal`,
    );
  }
  const namespaces = r.array(root.namespaces, '$.namespaces', 1, 256).map((n, i) => {
    const s = r.string(n, `$.namespaces[${i}]`);
    if (!NAMESPACE_PATTERN.test(s))
      r.fail('NAMESPACE_INVALID', `$.namespaces[${i}]`, `does not match ${String(NAMESPACE_PATTERN)}`);
    return s;
  });
  if (new Set(namespaces).size !== namespaces.length)
    r.fail('NAMESPACE_INVALID', '$.namespaces', 'a namespace is listed twice');
  let validateAtAttestationTime = false;
  if (root.attestation !== undefined) {
    const a = r.object(root.attestation, '$.attestation', [], ['validate_at_attestation_time']);
    if (a.validate_at_attestation_time !== undefined) {
      validateAtAttestationTime = r.boolean(
        a.validate_at_attestation_time,
        '$.attestation.validate_at_attestation_time',
      );
    }
  }
  return {
    version,
    profile,
    namespaces,
    ...witness(r, root.witness),
    operatorKeys: operatorKeys(r, root.operator_keys, '$.operator_keys'),
    vendorRoots: vendorRoots(r, root.hsm_vendor_roots),
    attestation: { validateAtAttestationTime },
  };
}
