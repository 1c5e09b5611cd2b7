/**
 * Witness keys in a PKCS#11 token (SoftHSM2): keygen generates the statement, log and cosigner
 * keys inside the token (no key file is written), the witness opens with the PIN, signs a
 * submission (statement and checkpoint signed by the token) and cosigns a checkpoint; the replies
 * verify under the public keys keygen printed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8Encode } from '../../ceremony/codec/index.js';
import {
  MemoryTree,
  formatCheckpoint,
  generateSignerKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../ceremony/tlog/index.js';
import { submitFleetKeySet } from '../../ceremony/witness/client/submit.js';
import { addCosignedLog, addNamespace, parseOperatorSpec } from '../../ceremony/witness/config/namespaces.js';
import { witnessKeygen } from '../../ceremony/witness/keys/keygen.js';
import type { WitnessKeygenResult } from '../../ceremony/witness/keys/keygen.js';
import { createWitnessServer } from '../../ceremony/witness/server/app.js';
import { Witness } from '../../ceremony/witness/witness.js';
import { buildFleetKeySet, createFleet, makeOperator, postRaw, tempDir } from '../unit/witness/fixtures.js';
import type { Fleet } from '../unit/witness/fixtures.js';
import { createSoftHsm } from './softhsm.js';
import type { SoftHsmEnv } from './softhsm.js';

describe('witness keys in a PKCS#11 token (SoftHSM2)', () => {
  const tmp = tempDir();
  const dir = join(tmp.dir, 'witness');
  const op = makeOperator('op-a');
  let env: SoftHsmEnv;
  let fleet: Fleet;
  let kg: WitnessKeygenResult;

  beforeAll(async () => {
    env = await createSoftHsm(['witness']);
    fleet = await createFleet(tmp.dir);
    const t = env.tokens[0]!;
    process.env['WITNESS_TEST_PIN'] = t.pin;
    kg = await witnessKeygen({
      dir,
      origin: 'witness.p11.test/log',
      hsm: { module: env.module, tokenLabel: t.label, pinEnv: 'WITNESS_TEST_PIN', pin: t.pin },
    });
    addNamespace(dir, {
      name: 'ns',
      root: 'genesis',
      profile: 'rehearsal',
      online: true,
      vendorRoots: [fleet.vendorRoot],
      operators: [parseOperatorSpec(op.verifierKey)],
    });
  });
  afterAll(async () => {
    await fleet?.hsm.close();
    await env?.cleanup();
    tmp.cleanup();
  });

  it('keygen wrote no key file and recorded the token labels', () => {
    expect(existsSync(join(dir, 'keys'))).toBe(false);
    expect(kg.config.statementKeys[0]!.source).toEqual({ pkcs11Label: 'witness-statement-1' });
    expect(kg.config.hsm?.pinEnv).toBe('WITNESS_TEST_PIN');
  });

  it('signs and cosigns with the token keys; a restart re-checks the token-signed checkpoint', async () => {
    let w = await Witness.open({ dir });
    let app = await createWitnessServer(w);
    await app.listen({ host: '127.0.0.1', port: 0 });
    let url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const f = await buildFleetKeySet(fleet, { namespace: 'ns', epoch: 1n, previousDigest: null });
      const r = await submitFleetKeySet({
        url,
        fleetKeySet: f.bytes,
        attestations: f.attestations,
        operator: op.signer,
      });
      expect(r.proof.checkpoint.size).toBe(1n);
      expect(r.info.logVerifierKey).toBe(kg.logVerifierKey);
      expect(r.reply.keyId).toBe(kg.statementKeyId);
    } finally {
      await app.close();
      await w.close();
    }
    // Reopen: the log re-signs its latest checkpoint to check it, through the token.
    const origin = 'example.com/cosigned';
    const key = generateSignerKey(origin);
    addCosignedLog(dir, { origin, verifierKeys: [key.verifierKey] });
    w = await Witness.open({ dir });
    app = await createWitnessServer(w);
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    try {
      const tree = new MemoryTree();
      tree.append(utf8Encode('a'));
      const note = signNote(
        formatCheckpoint({ origin, size: 1, rootHash: tree.root() }),
        parseSignerKey(key.signerKey),
      );
      const res = await postRaw(url, '/add-checkpoint', utf8Encode(`old 0\n\n${note}`), {});
      expect(res.status, res.text).toBe(200);
      const opened = openNote(note + res.text, [
        parseVerifierKey(key.verifierKey),
        parseVerifierKey(kg.cosignerVerifierKey),
      ]);
      expect(opened.signatures).toHaveLength(2);
    } finally {
      await app.close();
      await w.close();
    }
  });
});
