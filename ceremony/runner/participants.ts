/**
 * Participants with their identity keys resolved: the pinned `publicKey`, the key of their
 * `keyFile` (which must match the pin when both are given), or the key on their `token`.
 */
import { hexDecode, hexEncode } from '../codec/index.js';
import { VerificationError, UsageError } from '../errors.js';
import { checkIdentityKeyFile, identityPublicKey } from './identity-key.js';
import { openDevice, scriptPath } from './devices.js';
import type { Prompts } from './prompts.js';
import type { Participant } from '../transcript/roles.js';
import type { ScriptParticipant, TokenRef } from './script/types.js';

/** A participant ready to sign: their key, and where their private key is. */
export interface ResolvedParticipant extends Participant {
  name: string;
  /** Absolute path of their key file, if they sign with one. */
  keyFile?: string;
  /** Their token, if they sign with one. */
  token?: TokenRef;
}

/** Options of {@link resolveParticipants}. */
export interface ResolveParticipantsOptions {
  /** Reads a token's identity key, for token participants without a pinned publicKey. */
  tokenKey?: (p: ScriptParticipant, token: TokenRef) => Promise<Uint8Array>;
}

/**
 * Resolves every participant's identity key.
 * @throws UsageError `PARTICIPANT_KEY_UNKNOWN` (a token without a pinned key and no way to read
 *   it), the identity-key file errors; VerificationError `PARTICIPANT_KEY_MISMATCH` (the key file
 *   is not the pinned key).
 */
export async function resolveParticipants(
  list: readonly ScriptParticipant[],
  scriptDir: string,
  o: ResolveParticipantsOptions = {},
): Promise<ResolvedParticipant[]> {
  const out: ResolvedParticipant[] = [];
  for (const [i, p] of list.entries()) {
    const keyFile = p.keyFile === undefined ? undefined : scriptPath(scriptDir, p.keyFile);
    let publicKey: Uint8Array | undefined =
      p.publicKey === undefined ? undefined : hexDecode(p.publicKey, `participants[${i}].publicKey`, 32);
    if (keyFile !== undefined) {
      const derived = identityPublicKey(keyFile);
      if (publicKey !== undefined && hexEncode(publicKey) !== hexEncode(derived))
        throw new VerificationError(
          'PARTICIPANT_KEY_MISMATCH',
          `participants[${i}] (${p.id}): the key file holds ${hexEncode(derived)}, the script pins ${hexEncode(publicKey)}`,
          { field: `participants[${i}].publicKey`, file: keyFile },
        );
      publicKey = derived;
    }
    if (publicKey === undefined && p.token !== undefined && o.tokenKey !== undefined)
      publicKey = await o.tokenKey(p, p.token);
    if (publicKey === undefined)
      throw new UsageError(
        'PARTICIPANT_KEY_UNKNOWN',
        `participants[${i}] (${p.id}): pin their publicKey in the script`,
        {
          field: `participants[${i}].publicKey`,
        },
      );
    out.push({
      id: p.id,
      name: p.name,
      role: p.role,
      publicKey,
      ...(keyFile === undefined ? {} : { keyFile }),
      ...(p.token === undefined ? {} : { token: p.token }),
    });
  }
  return out;
}

/** For dry runs: checks key files exist with safe permissions, without reading them. */
export function checkParticipantFiles(list: readonly ScriptParticipant[], scriptDir: string): void {
  for (const p of list) if (p.keyFile !== undefined) checkIdentityKeyFile(scriptPath(scriptDir, p.keyFile));
}

/**
 * {@link resolveParticipants} for a run: a token participant without a pinned key has their token
 * opened (PIN from its variable or a hidden prompt) to read the Ed25519 key `keyLabel`.
 * @throws UsageError `IDENTITY_TOKEN_KEY_NOT_FOUND`; as resolveParticipants and openDevice.
 */
export function resolveRunParticipants(
  list: readonly ScriptParticipant[],
  scriptDir: string,
  o: { prompts: Prompts; environment?: Readonly<Record<string, string | undefined>> },
): Promise<ResolvedParticipant[]> {
  return resolveParticipants(list, scriptDir, {
    async tokenKey(p, token) {
      const hsm = await openDevice(token, {
        baseDir: scriptDir,
        label: `${p.name}'s token`,
        prompts: o.prompts,
        ...(o.environment === undefined ? {} : { environment: o.environment }),
      });
      try {
        const key = await hsm.findKey(token.keyLabel);
        if (key === undefined || key.algorithm !== 'ed25519')
          throw new UsageError(
            'IDENTITY_TOKEN_KEY_NOT_FOUND',
            `${p.id}: no Ed25519 key labelled ${token.keyLabel} on the token`,
          );
        return key.publicKey;
      } finally {
        await hsm.close();
      }
    },
  });
}
