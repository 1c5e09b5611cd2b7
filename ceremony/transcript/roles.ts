/**
 * Ceremony roles, modelled on IANA's root KSK ceremonies: the ceremony administrator runs the
 * script, the internal witness watches and records, crypto officers hold the quorum (M of N), and
 * the operator signer endorses the result on the operator's behalf.
 *
 * Portable: no `node:` imports.
 */

/** Every role a participant can hold, in the order scripts and reports list them. */
export const ROLES = ['administrator', 'internal-witness', 'crypto-officer', 'operator-signer'] as const;

/** A participant's role. */
export type Role = (typeof ROLES)[number];

/** A participant as sign-off verification needs it: id, role and pinned Ed25519 identity key. */
export interface Participant {
  /** Unique id, e.g. `co-1`. */
  id: string;
  role: Role;
  /** Raw Ed25519 public key, 32 bytes. */
  publicKey: Uint8Array;
  /** Full name, for reports. */
  name?: string;
}

/** True if `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** `a, b or c`: how error messages list allowed values. */
export function listOr(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
