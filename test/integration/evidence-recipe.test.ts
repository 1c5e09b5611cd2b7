/**
 * The stock-tools recipe of VERIFY.md, run exactly as printed with bash, sha256sum and openssl on
 * a real package and the anchors of its trust file: it passes on the good package and fails on
 * tampered ones, including those an attacker re-signed with the operator's own key.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from '../../ceremony/codec/index.js';
import { ed25519 } from '../../ceremony/crypto/index.js';
import { extractRecipe } from '../../ceremony/evidence/index.js';
import { createEmulatedVendor } from '../../ceremony/hsm/index.js';
import { EVIDENCE_FILES, attestationPaths } from '../../ceremony/verify/index.js';
import { copy, resign, signSums } from '../unit/evidence/fixture/forge.js';
import { testPackage } from '../unit/evidence/fixture/package.js';
import type { TestPackage } from '../unit/evidence/fixture/package.js';
import { seed } from '../unit/evidence/fixture/transcript.js';

let p: TestPackage;
let work: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  p = await testPackage();
  work = mkdtempSync(join(tmpdir(), 'fc-recipe-'));
  writeFileSync(join(work, 'verify.sh'), extractRecipe(utf8Decode(p.files.get(EVIDENCE_FILES.verify)!))!);
  writeFileSync(join(work, 'roots.pem'), p.world.rootPem);
  const t = p.world.trustJson as {
    witness: { statement_keys: { public_key: string }[]; log_key: string };
    operator_keys: { algorithm: string; public_key: string }[];
  };
  env = {
    PATH: process.env.PATH,
    WITNESS_KEY: t.witness.statement_keys[1]!.public_key,
    LOG_KEY: t.witness.log_key,
    OPERATOR_KEY: t.operator_keys[0]!.public_key,
    OPERATOR_ALG: t.operator_keys[0]!.algorithm,
    VENDOR_ROOTS: join(work, 'roots.pem'),
  };
});
afterAll(async () => {
  await p?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

let n = 0;
/** Writes `files` as a package directory (or takes a directory) and runs the recipe in it. */
function run(files: ReadonlyMap<string, Uint8Array> | string, extra: NodeJS.ProcessEnv = {}) {
  let dir: string;
  if (typeof files === 'string') dir = files;
  else {
    dir = join(work, `pkg-${n++}`);
    for (const [path, bytes] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
  }
  const r = spawnSync('bash', [join(work, 'verify.sh')], {
    cwd: dir,
    env: { ...env, ...extra },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('the VERIFY.md stock-tools recipe', () => {
  it('passes on the package as written (with a log key whose base64 holds "+")', () => {
    expect(env.LOG_KEY!.split('+').length).toBeGreaterThan(3);
    const r = run(p.dir);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toContain('ok: SHA256SUMS is signed by the pinned operator key');
    expect(r.out).toContain(
      'ok: 3 attestation digest(s) match the fleet key set; 3 X.509 attestation(s) chain to the pinned vendor roots and attest their keys',
    );
    expect(r.out).toContain('ALL STOCK-TOOL CHECKS PASSED');
  });

  it('needs the anchors: without them it refuses to run', () => {
    expect(run(p.dir, { WITNESS_KEY: '' }).status).toBe(2);
  });

  it('fails on a changed byte, an unlisted file, or sums not re-signed', async () => {
    const flipped = copy(p.files);
    const b = flipped.get(EVIDENCE_FILES.bundle)!;
    b[100] = b[100]! ^ 1;
    expect(run(flipped).status).not.toBe(0);
    expect(run(copy(p.files).set('extra.txt', utf8Encode('x'))).status).not.toBe(0);
    const sig = copy(p.files);
    const s0 = sig.get(EVIDENCE_FILES.statementSignature)!;
    s0[0] = s0[0]! ^ 1;
    const sums = await signSums(sig, {
      operator: {
        algorithm: 'ed25519',
        publicKey: ed25519.getPublicKey(seed('rogue')),
        sign: async (m) => ed25519.sign(seed('rogue'), m),
      },
    });
    const r = run(sums);
    expect(r.status).not.toBe(0);
    expect(r.out).not.toContain('ok: SHA256SUMS is signed');
  });

  it('fails on a re-signed package whose witness signature, checkpoint or attestations were changed', async () => {
    const sig = copy(p.files);
    const s5 = sig.get(EVIDENCE_FILES.statementSignature)!;
    s5[5] = s5[5]! ^ 1;
    const r1 = run(await resign(sig, p.world));
    expect(r1.status).not.toBe(0);
    expect(r1.out).toContain('ok: every file matches SHA256SUMS');
    expect(r1.out).not.toContain('ok: the witness signed');

    const cp = copy(p.files);
    const text = utf8Decode(cp.get(EVIDENCE_FILES.checkpoint)!);
    cp.set(
      EVIDENCE_FILES.checkpoint,
      utf8Encode(text.replace(/\n(\d+)\n/, (_m, size: string) => `\n${Number(size) + 1}\n`)),
    );
    const r2 = run(await signSums(cp, p.world));
    expect(r2.status).not.toBe(0);
    expect(r2.out).toContain('ok: the operator counter-signed');
    expect(r2.out).not.toContain('ok: the checkpoint is signed');

    const swap = copy(p.files);
    const a1 = attestationPaths('hsm-1', 'fleet-session-1');
    const a2 = attestationPaths('hsm-2', 'fleet-session-2');
    for (const k of ['statement', 'chain'] as const) {
      swap.set(a1[k], p.files.get(a2[k])!);
      swap.set(a2[k], p.files.get(a1[k])!);
    }
    const r3 = run(await signSums(swap, p.world));
    expect(r3.status).not.toBe(0);
    expect(r3.out).toContain('ok: the checkpoint is signed');
    expect(r3.out).not.toContain('X.509 attestation(s) chain');
  });

  it('fails when the vendor root pinned is not the one the devices chain to', async () => {
    await createEmulatedVendor(join(work, 'other-vendor'));
    const r = run(p.dir, { VENDOR_ROOTS: join(work, 'other-vendor', 'root.pem') });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('ok: the checkpoint is signed');
    expect(r.out).not.toContain('X.509 attestation(s) chain');
  });

  it('also passes on a P-256 operator key (DER signatures)', async () => {
    const q = await testPackage({ operatorAlgorithm: 'p256' });
    try {
      const t = q.world.trustJson as {
        witness: { log_key: string; statement_keys: { public_key: string }[] };
        operator_keys: { algorithm: string; public_key: string }[];
      };
      writeFileSync(join(work, 'q-roots.pem'), q.world.rootPem);
      const recipe = join(work, 'q.sh');
      writeFileSync(recipe, extractRecipe(utf8Decode(q.files.get(EVIDENCE_FILES.verify)!))!);
      const r = spawnSync('bash', [recipe], {
        cwd: q.dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          WITNESS_KEY: t.witness.statement_keys[1]!.public_key,
          LOG_KEY: t.witness.log_key,
          OPERATOR_KEY: t.operator_keys[0]!.public_key,
          OPERATOR_ALG: 'p256',
          VENDOR_ROOTS: join(work, 'q-roots.pem'),
        },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    } finally {
      await q.cleanup();
    }
  });
});
