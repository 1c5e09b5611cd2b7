/**
 * The package's loose copies of the bundle's parts (docs/evidence.md, "Layout"): the fleet key set
 * and its JSON rendering, the witness statement, signature and counter-signature as files
 * `openssl` can read, the checkpoint and the C2SP inclusion proof. Each must be exactly what the
 * verified bundle carries (or renders to), byte for byte: the stock-tools recipe checks the copies,
 * this verifier checks that the copies are the bundle.
 *
 * Portable: no `node:` imports.
 */
import { fleetKeySetToJson, validationBundleTlogProof } from '../bundle/index.js';
import type { FleetKeySet } from '../bundle/index.js';
import { equalBytes, hexEncode, utf8Encode } from '../codec/index.js';
import { VerificationError } from '../errors.js';
import { ecdsaRawToDer } from './ecdsa-der.js';
import { CHECKS } from './checks.js';
import { EVIDENCE_FILES } from './layout.js';
import type { CheckRecorder } from './report.js';
import type { BundleFacts } from './steps-bundle.js';

/** The text of `fleet-key-set.json`: the bundle layer's JSON rendering, two-space indented, final newline. */
export function renderFleetKeySetJson(ks: FleetKeySet): string {
  return JSON.stringify(fleetKeySetToJson(ks), null, 2) + '\n';
}

/** The bytes of `witness/countersignature.sig`: Ed25519 as is, P-256 `r || s` as DER (the same r and s). */
export function countersignatureFile(
  algorithm: 'ed25519' | 'p256',
  countersignature: Uint8Array,
): Uint8Array {
  return algorithm === 'p256' ? ecdsaRawToDer(countersignature) : countersignature;
}

function same(
  files: ReadonlyMap<string, Uint8Array>,
  path: string,
  want: Uint8Array,
  code: string,
  what: string,
): void {
  const got = files.get(path);
  if (got === undefined)
    throw new VerificationError('EVIDENCE_FILE_MISSING', `missing: the package must hold ${what}`, {
      file: path,
    });
  if (!equalBytes(got, want)) {
    throw new VerificationError(
      code,
      `is not ${what} (${got.length} bytes, want ${want.length}; SHA-256 differs)`,
      { file: path },
    );
  }
}

/** Records `files.fleet-key-set`, `files.fleet-key-set-json`, `files.witness` and `files.log`. */
export async function fileSteps(
  files: ReadonlyMap<string, Uint8Array>,
  b: BundleFacts,
  operatorAlgorithm: 'ed25519' | 'p256' | undefined,
  rec: CheckRecorder,
): Promise<void> {
  const bundle = b.bundle;
  await rec.run('files.fleet-key-set', CHECKS['files.fleet-key-set'], () => {
    same(
      files,
      EVIDENCE_FILES.fleetKeySet,
      bundle.fleetKeySet,
      'EVIDENCE_KEY_SET_MISMATCH',
      'the fleet key set carried in bundle.cbor',
    );
    return { reason: `SHA-256 ${hexEncode(b.keySetSha256)}, the digest the witness statement names` };
  });
  await rec.run('files.fleet-key-set-json', CHECKS['files.fleet-key-set-json'], () => {
    same(
      files,
      EVIDENCE_FILES.fleetKeySetJson,
      utf8Encode(renderFleetKeySetJson(b.keySet)),
      'EVIDENCE_KEY_SET_JSON_MISMATCH',
      'the JSON rendering of fleet-key-set.cbor',
    );
    return { reason: 'regenerated from fleet-key-set.cbor: identical' };
  });
  await rec.run('files.witness', CHECKS['files.witness'], () => {
    same(
      files,
      EVIDENCE_FILES.statement,
      bundle.statement,
      'EVIDENCE_WITNESS_FILE_MISMATCH',
      'the witness statement carried in bundle.cbor',
    );
    same(
      files,
      EVIDENCE_FILES.statementSignature,
      bundle.witnessSignature,
      'EVIDENCE_WITNESS_FILE_MISMATCH',
      'the witness signature carried in bundle.cbor',
    );
    if (operatorAlgorithm === undefined) {
      throw new VerificationError(
        'EVIDENCE_WITNESS_FILE_MISMATCH',
        "no pinned operator key verified the bundle's counter-signature, so its file encoding is unknown",
        { file: EVIDENCE_FILES.countersignature },
      );
    }
    same(
      files,
      EVIDENCE_FILES.countersignature,
      countersignatureFile(operatorAlgorithm, bundle.countersignature),
      'EVIDENCE_WITNESS_FILE_MISMATCH',
      `the counter-signature carried in bundle.cbor (${operatorAlgorithm === 'p256' ? 'DER' : 'raw'})`,
    );
    return {
      reason:
        "witness/statement.bin, statement.sig and countersignature.sig are byte-identical to the bundle's",
    };
  });
  await rec.run('files.log', CHECKS['files.log'], () => {
    same(
      files,
      EVIDENCE_FILES.checkpoint,
      utf8Encode(bundle.proof.checkpoint),
      'EVIDENCE_LOG_FILE_MISMATCH',
      'the signed checkpoint carried in bundle.cbor',
    );
    same(
      files,
      EVIDENCE_FILES.tlogProof,
      utf8Encode(validationBundleTlogProof(bundle)),
      'EVIDENCE_LOG_FILE_MISMATCH',
      "the bundle's inclusion proof as C2SP tlog-proof",
    );
    return {
      reason: `log/checkpoint and log/tlog-proof (index ${bundle.proof.index}, ${bundle.proof.hashes.length} hashes) are the bundle's`,
    };
  });
}
