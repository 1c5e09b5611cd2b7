/**
 * What `fleet-ceremony demo` takes, and its embedded defaults: the rehearsal template with three
 * HSMs (emulated, or SoftHSM2 tokens), five crypto officers (3 of 5) and a local witness.
 */
import type { ScryptParams } from '../hsm/index.js';

/** Options of `runDemo`. */
export interface DemoOptions {
  /** The demo directory; created, never reused (default `./demo-<UTC timestamp>`). */
  out?: string;
  /** HSM backend (default `emulated`). */
  hsm?: 'emulated' | 'softhsm';
  /** An existing witness server instead of the local one; needs {@link DemoOptions.operatorKey} and {@link DemoOptions.vendor}. */
  witness?: string;
  /** With `witness`: the C2SP signer key file of an operator registered for the namespace. */
  operatorKey?: string;
  /** With `witness`: the emulated vendor directory whose root the namespace pins (emulated HSMs only). */
  vendor?: string;
  /** The namespace (default `example.backup-keys`; with `witness`, one registered there). */
  namespace?: string;
  /** scrypt cost of the emulated HSMs (default: the production cost). */
  kdf?: ScryptParams;
  /** Environment the HSM PINs are read from (default `process.env`; unset PINs are drawn at random). */
  environment?: Readonly<Record<string, string | undefined>>;
  /** Task list rendering (default `silent`: the summary tells what happened). */
  tasks?: 'auto' | 'silent' | 'simple';
  /** Human progress lines (default: none). */
  say?: (text: string) => void;
}

/** The HSMs of the demo, as the rehearsal template names them. */
export const DEMO_HSMS = [
  { id: 'hsm-1', serial: 'EMU-0001', pinEnv: 'FLEET_HSM1_PIN', token: 'fleet-demo-1' },
  { id: 'hsm-2', serial: 'EMU-0002', pinEnv: 'FLEET_HSM2_PIN', token: 'fleet-demo-2' },
  { id: 'hsm-3', serial: 'EMU-0003', pinEnv: 'FLEET_HSM3_PIN', token: 'fleet-demo-3' },
] as const;

/** Default namespace of the demo (the rehearsal template's). */
export const DEMO_NAMESPACE = 'example.backup-keys';
/** Origin (log name) of the demo's local witness. */
export const DEMO_WITNESS_ORIGIN = 'witness.demo.fleet-ceremony.example/log';

/** File names inside the demo directory. */
export const DEMO_FILES = {
  script: 'ceremony.yaml',
  trust: 'trust.json',
  workdir: 'work',
  evidence: 'evidence',
  witness: 'witness',
  vendor: 'vendor',
  softhsm: 'softhsm',
} as const;

/** `demo-20250601T093000Z`: a new directory name from the clock. */
export function defaultDemoDir(now: Date): string {
  return `demo-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}
