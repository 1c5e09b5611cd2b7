/**
 * Child process of crash-recovery.test.ts: opens the witness in argv[2] and signs the
 * submissions in argv[3] (one CBOR file per epoch, in order) as operator `op-a`, printing
 * `signed <epoch>` after each reply. The parent kills it with SIGKILL at a random moment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WitnessError } from '../../../ceremony/witness/codes.js';
import { signSubmission } from '../../../ceremony/witness/policy/sign.js';
import { Witness } from '../../../ceremony/witness/witness.js';

const [dir, subs, ns] = process.argv.slice(2) as [string, string, string];
const w = await Witness.open({ dir });
for (const f of readdirSync(subs).sort()) {
  try {
    const r = await signSubmission(w, 'op-a', ns, new Uint8Array(readFileSync(join(subs, f))));
    process.stdout.write(`signed ${r.record.epoch}\n`);
  } catch (e) {
    if (!(e instanceof WitnessError)) throw e; // already signed in an earlier round
  }
}
await w.close();
process.stdout.write('done\n');
