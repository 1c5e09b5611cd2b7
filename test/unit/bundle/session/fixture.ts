/**
 * A real world for the session suites: fleet session keys generated inside real HSMs (emulated
 * devices here; the integration suite adds a SoftHSM2 token), a witness statement key and a
 * witness log key (software keys, as the witness holds them), an operator counter-signing key
 * generated inside an emulated HSM, a real RFC 9162 MemoryTree whose checkpoint the log key
 * signs, a C2SP tlog-proof, and the trust file that pins the anchors.
 *
 * Times are relative to a `now` (the real clock by default, so the CLI needs no --now). Each
 * bundle variant changes one thing of a good bundle: a forged witness signature, a proof into
 * another tree, a checkpoint signed by another key, a validity window in the past, an epoch.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assembleValidationBundle,
  encodeFleetKeySet,
  fleetKeySetDigest,
  parseTrustFile,
  witnessLogLeaf,
} from '../../../../ceremony/bundle/index.js';
import type { FleetHsm, FleetKey, FleetKeySet, Trust } from '../../../../ceremony/bundle/index.js';
import { hexEncode, utf8Encode } from '../../../../ceremony/codec/index.js';
import { ed25519, sha256 } from '../../../../ceremony/crypto/index.js';
import {
  createEmulatedVendor,
  enrollEmulatedDevice,
  openEmulatedHsm,
} from '../../../../ceremony/hsm/index.js';
import type { Hsm, KeyAlgorithm, KeyUsage } from '../../../../ceremony/hsm/index.js';
import {
  countersign,
  encodeSignatureMessage,
  signWitnessStatement,
} from '../../../../ceremony/statement/index.js';
import {
  ed25519Signer,
  formatCheckpoint,
  formatTlogProof,
  formatVerifierKey,
  MemoryTree,
  SIGNATURE_TYPE_ED25519,
  signNote,
} from '../../../../ceremony/tlog/index.js';

export const NAMESPACE = 'example.com/fleet-sessions';
export const ORIGIN = 'witness.example.com/log';
export const DAY = 86_400_000;
export const OPERATOR_LABEL = 'operator';
/** PIN of the emulated test devices (a leak scan searches every output for it). */
export const EMULATED_PIN = 'session-test-pin-8a41f2';

/** A deterministic 32-byte seed from a label. */
export const seed = (label: string) => sha256(utf8Encode(`fleet-ceremony session test ${label}`));

/** A fresh temporary directory. */
export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `fc-${prefix}-`));

/** An emulated device in `base/<serial>` (vendor in `base/vendor`), opened, with keys generated inside. */
export async function emulatedDevice(
  base: string,
  serial: string,
  keys: { label: string; algorithm: KeyAlgorithm; usages?: KeyUsage[] }[],
) {
  const vendorDir = join(base, 'vendor');
  if (!existsSync(vendorDir)) await createEmulatedVendor(vendorDir);
  const dir = join(base, serial);
  await enrollEmulatedDevice({ vendorDir, serial, dir, pin: EMULATED_PIN, kdf: { log2N: 10, r: 8, p: 1 } });
  const hsm = await openEmulatedHsm({ dir, pin: EMULATED_PIN });
  for (const k of keys) await hsm.generateKey(k.usages === undefined ? k : { ...k, usages: k.usages });
  return { hsm, dir };
}

/** The fleet key set entries (HSM and keys) of `labels` held by `hsm`, under HSM id `hsmId`. */
export async function fleetEntries(
  hsm: Hsm,
  hsmId: string,
  labels: string[],
  level: FleetHsm['attestationLevel'],
) {
  const info = await hsm.info();
  const entry: FleetHsm = {
    id: hsmId,
    site: 'test-site-1',
    vendor: info.vendor,
    model: info.model,
    serial: info.serial,
    firmware: info.firmware,
    attestationLevel: level,
  };
  const keys: FleetKey[] = [];
  for (const label of labels) {
    const k = (await hsm.findKey(label))!;
    const att = await hsm.attestKey(label, seed(`challenge ${label}`));
    const role = k.usages.includes('derive') ? 'session' : 'signing';
    keys.push({
      keyId: label,
      role,
      algorithm: k.algorithm,
      publicKey: k.publicKey,
      hsmId,
      attestationDigest: sha256(att.statement),
    });
  }
  return { hsm: entry, keys };
}

/** How a bundle differs from a good one. */
export interface BundleVariant {
  epoch?: bigint;
  validity?: { notBefore: number; notAfter: number };
  statementTime?: number;
  /** The statement is signed by a key that is not pinned (it claims the pinned key's id). */
  forgeWitness?: boolean;
  /** `other-tree`: the proof leads into a signed tree without the entry; `other-log-key`: the checkpoint is signed by an unpinned key under the log's name. */
  unlogged?: 'other-tree' | 'other-log-key';
}

/** The witness, the log, the operator and the trust file; `bundle()` builds validation bundles. */
export function anchors(operator: Hsm, operatorPublicKey: Uint8Array, now = Date.now()) {
  const witness = { secretKey: seed('witness'), publicKey: ed25519.getPublicKey(seed('witness')) };
  const logVkey = formatVerifierKey({
    name: ORIGIN,
    type: SIGNATURE_TYPE_ED25519,
    publicKey: ed25519.getPublicKey(seed('log')),
  });
  const iso = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const trustJson = {
    version: 1,
    profile: 'rehearsal',
    namespaces: [NAMESPACE],
    witness: {
      statement_keys: [{ public_key: hexEncode(witness.publicKey), not_before: iso(now - 60 * DAY) }],
      log_key: logVkey,
    },
    operator_keys: [
      { algorithm: 'ed25519', public_key: hexEncode(operatorPublicKey), not_before: iso(now - 60 * DAY) },
    ],
  };
  const trustText = JSON.stringify(trustJson, null, 2);
  const trust: Trust = parseTrustFile(trustText, 'trust.json');

  async function bundle(entries: { hsms: FleetHsm[]; keys: FleetKey[] }, v: BundleVariant = {}) {
    const set: FleetKeySet = {
      version: 1,
      namespace: NAMESPACE,
      epoch: v.epoch ?? 2n,
      fleetId: 'fleet-session-test',
      previousDigest: sha256(utf8Encode('epoch 1')),
      validity: v.validity ?? { notBefore: now - 7 * DAY, notAfter: now + 30 * DAY },
      keys: [...entries.keys].sort((a, b) => (a.keyId < b.keyId ? -1 : 1)),
      hsms: [...entries.hsms].sort((a, b) => (a.id < b.id ? -1 : 1)),
      quorum: { threshold: 1, total: entries.hsms.length },
      transcriptDigest: sha256(utf8Encode('transcript')),
    };
    const fks = encodeFleetKeySet(set);
    const statement = encodeSignatureMessage({
      ciphersuite: 1,
      namespace: NAMESPACE,
      timestamp: v.statementTime ?? now - DAY,
      epoch: set.epoch,
      digest: fleetKeySetDigest(fks),
    });
    const signature = signWitnessStatement(
      statement,
      v.forgeWitness === true ? seed('forger') : witness.secretKey,
    );
    const cs = await countersign(operator, OPERATOR_LABEL, signature, statement);
    const leaf = witnessLogLeaf({ statement, signature, keyId: witness.publicKey[31]! });
    const tree = new MemoryTree();
    for (let i = 0; i < 5; i++) tree.append(utf8Encode(`other entry ${i}`));
    // An unlogged statement: the tree never gets the entry, the proof is that of another leaf.
    const index = v.unlogged === 'other-tree' ? 3 : tree.append(leaf);
    for (let i = 0; i < 4; i++) tree.append(utf8Encode(`later entry ${i}`));
    const logKey = v.unlogged === 'other-log-key' ? seed('rogue log') : seed('log');
    const checkpoint = signNote(
      formatCheckpoint({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }),
      [ed25519Signer(ORIGIN, logKey)],
    );
    return assembleValidationBundle({
      fleetKeySet: fks,
      statement,
      witnessSignature: signature,
      witnessPublicKey: witness.publicKey,
      countersignature: cs.signature,
      operatorKey: { algorithm: 'ed25519', publicKey: operatorPublicKey },
      tlogProof: formatTlogProof({ index, proof: tree.proveInclusion(index), checkpoint }),
    });
  }

  return { now, trust, trustText, bundle };
}
