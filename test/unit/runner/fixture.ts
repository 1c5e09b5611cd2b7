/**
 * Fixtures for the runner suites: temporary directories, an emulated "smart card" holding an
 * Ed25519 identity key (a low-cost emulated HSM), and a ceremony directory with a script of
 * built-in steps only and identity key files for every participant.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { hexEncode } from '../../../ceremony/codec/index.js';
import { createEmulatedVendor, enrollEmulatedDevice, openEmulatedHsm } from '../../../ceremony/hsm/index.js';
import { generateIdentityKeyFile } from '../../../ceremony/runner/identity-key.js';

const made: string[] = [];
// Registered while the importing test file is collected: runs after that file's tests.
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A new temporary directory, removed after the test file's tests. */
export function tempDir(prefix = 'fc-runner-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** An emulated device with an Ed25519 identity key labelled `identity`, and its PIN. */
export async function emulatedCard(
  base: string,
  serial = 'CARD-1',
): Promise<{ dir: string; pin: string; publicKey: string }> {
  const vendorDir = join(base, `vendor-${serial}`);
  await createEmulatedVendor(vendorDir);
  const dir = join(base, `card-${serial}`);
  const pin = `card-pin-${randomBytes(8).toString('hex')}`;
  await enrollEmulatedDevice({ vendorDir, serial, dir, pin, kdf: { log2N: 10, r: 8, p: 1 } });
  const hsm = await openEmulatedHsm({ dir, pin });
  try {
    const key = await hsm.generateKey({ label: 'identity', algorithm: 'ed25519' });
    return { dir, pin, publicKey: hexEncode(key.publicKey) };
  } finally {
    await hsm.close();
  }
}

/** A ceremony directory: its script path and every participant's key file and public key. */
export interface CeremonyDir {
  dir: string;
  script: string;
  keys: Map<string, { path: string; publicKey: string }>;
}

/** Options of {@link ceremonyDir}. */
export interface CeremonyDirOptions {
  officers?: number;
  threshold?: number;
  /** Replaces the steps section (YAML, indented as under `steps:`). */
  steps?: string;
  /** Extra YAML lines appended to the participants list (e.g. a token participant). */
  extraParticipants?: string;
}

/** The default steps: every built-in kind. */
export const BUILTIN_STEPS = `  - id: environment
    kind: check-environment
    title: Check the environment
    readAloud:
      - label: Digest of the tool
        value: environment.toolSha256
    signoffs:
      - role: administrator
      - role: internal-witness
  - id: read-script
    kind: read-aloud
    title: Read the script digest aloud
    readAloud:
      - label: Script digest
        value: script.sha256
        confirmWords: 3
  - id: approve
    kind: signoff
    title: Crypto officers approve
    signoffs:
      - role: crypto-officer
        count: quorum
  - id: seal
    kind: seal
    title: Seal the transcript
    readAloud:
      - label: Transcript head
        value: transcript.head
    signoffs:
      - role: administrator
      - role: crypto-officer
`;

/** A ceremony directory with key files for admin, int-witness, co-1..co-N, op-signer. */
export function ceremonyDir(o: CeremonyDirOptions = {}, dir = tempDir()): CeremonyDir {
  const officers = o.officers ?? 3;
  mkdirSync(join(dir, 'participants'), { mode: 0o700 });
  const roles: [string, string][] = [
    ['admin', 'administrator'],
    ['int-witness', 'internal-witness'],
    ...Array.from({ length: officers }, (_, i): [string, string] => [`co-${i + 1}`, 'crypto-officer']),
    ['op-signer', 'operator-signer'],
  ];
  const keys = new Map<string, { path: string; publicKey: string }>();
  const people = roles.map(([id, role]) => {
    const path = join(dir, 'participants', `${id}.key`);
    keys.set(id, { path, publicKey: hexEncode(generateIdentityKeyFile(path)) });
    return `  - id: ${id}\n    name: Person ${id}\n    role: ${role}\n    keyFile: participants/${id}.key\n    publicKey: "${keys.get(id)!.publicKey}"\n`;
  });
  const text = `format: fleet-ceremony/script/v1
ceremony:
  id: test-ceremony
  name: Test ceremony
  kind: rehearsal
  namespace: example.test
  epoch: 1
  fleetId: fleet-test
  validity:
    days: 30
participants:
${people.join('')}${o.extraParticipants ?? ''}quorum:
  threshold: ${o.threshold ?? 2}
  of: ${officers}
hsms:
  - id: hsm-1
    site: Test bench
    backend: emulated
    dir: hsms/hsm-1
    expectedSerial: EMU-TEST-1
    pinEnv: FLEET_TEST_HSM1_PIN
keys:
  - label: fleet-session-1
    hsm: hsm-1
    algorithm: x25519
    role: session
witness:
  url: local-rehearsal
operator:
  hsm: hsm-1
  label: operator-countersign
  algorithm: ed25519
steps:
${o.steps ?? BUILTIN_STEPS}outputs:
  workdir: work
  evidence: evidence
`;
  const script = join(dir, 'ceremony.yaml');
  writeFileSync(script, text);
  return { dir, script, keys };
}
