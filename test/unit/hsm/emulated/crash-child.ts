/**
 * Child process of crash.test.ts: opens the emulated HSM in argv[2] (PIN from FLEET_HSM_PIN),
 * generates keys labelled argv[3]<n>, says "ready" after the first, then goes on generating and
 * destroying keys as fast as it can until it is killed.
 */
import { openEmulatedHsm } from '../../../../ceremony/hsm/emulated/index.js';

const dir = process.argv[2]!;
const prefix = process.argv[3]!;
const hsm = await openEmulatedHsm({ dir, pin: process.env['FLEET_HSM_PIN'] ?? '' });
const algorithms = ['ed25519', 'p256', 'x25519'] as const;
for (let i = 0; ; i++) {
  await hsm.generateKey({ label: `${prefix}${i}`, algorithm: algorithms[i % 3]! });
  if (i === 0) process.stdout.write('ready\n');
  if (i % 4 === 3) await hsm.destroyKey(`${prefix}${i - 1}`);
}
