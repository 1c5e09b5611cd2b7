/**
 * Child process of witness-log-crash.test.ts: opens the log and appends forever from several
 * concurrent workers, printing each acknowledged entry (`ack <worker> <seq> <index>`) and each
 * checkpoint it hands out (`cp <base64 note>`), until the parent kills it with SIGKILL.
 *
 * argv: <store path> <tag>; env FLEET_TEST_LOG_SKEY: the log's signer key (a throwaway test key).
 */
import { base64Encode } from '../../ceremony/codec/index.js';
import { parseSignerKey } from '../../ceremony/tlog/index.js';
import { WitnessLog } from '../../ceremony/witness/log/index.js';

const [path, tag] = process.argv.slice(2) as [string, string];
const signer = parseSignerKey(process.env.FLEET_TEST_LOG_SKEY ?? '');
const log = WitnessLog.open({ storagePath: path, origin: signer.name, signer });
const WORKERS = 8;
let acks = 0;

async function worker(w: number): Promise<void> {
  for (let seq = 0; ; seq++) {
    // Mostly single entries, sometimes a batch, as the HTTP server sees them.
    const n = seq % 5 === 4 ? 3 : 1;
    const batch = Array.from({ length: n }, (_, k) => new TextEncoder().encode(`${tag}-${w}-${seq}-${k}`));
    const { firstIndex } = await log.append(batch);
    // Pipes are synchronous on Linux: once written, the parent has the line even if killed now.
    process.stdout.write(`ack ${w} ${seq} ${n} ${firstIndex}\n`);
    if (++acks % 40 === 0)
      process.stdout.write(`cp ${base64Encode(new TextEncoder().encode(log.checkpoint()))}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
