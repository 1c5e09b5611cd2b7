/**
 * The crash-injection hook of the ceremony tests (docs/operator-guide.md, "Testing a ceremony
 * against crashes"). Inert unless the environment variable `FLEET_TEST_KILL_AT` names the point
 * being passed: then the process kills itself with SIGKILL on the spot, as a power cut would,
 * with no chance to record anything. Points:
 *
 * - `<step-id>:before`: the step's `step-start` is written, its kind has done nothing yet;
 * - `<step-id>:after`: the kind's work is done, its `step-end` is not written;
 * - `<step-id>:keygen`: inside `generate-keys`, a key was generated in an HSM and not recorded;
 * - `<step-id>:signed`: inside `witness-submit`, the witness signed and nothing was saved;
 * - `<step-id>:countersigned`: inside `countersign`, the counter-signature is saved and not yet
 *   uploaded to the witness;
 * - `evidence-package:before` / `evidence-package:after`: after the seal, before the evidence
 *   package is written / after it is written and before its `.tar.gz`.
 *
 * Nothing in a ceremony sets this variable; a ceremony never reads any other `FLEET_TEST_*`.
 */

/** The environment variable naming the kill point. */
export const TEST_KILL_ENV = 'FLEET_TEST_KILL_AT';

/**
 * Kills this process with SIGKILL if `FLEET_TEST_KILL_AT` is exactly `point`; otherwise does
 * nothing.
 */
export function testKillPoint(point: string): void {
  if (process.env[TEST_KILL_ENV] !== point) return;
  process.kill(process.pid, 'SIGKILL');
}
