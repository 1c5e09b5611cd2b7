/**
 * The PKCS#11 implementation of the {@link Hsm} interface: one logged-in read/write session on one
 * token. Every method runs as one task on the module's queue, so its PKCS#11 calls never
 * interleave with another method's (of this or any other token of the same module), and every
 * pkcs11js error leaves as a typed error naming the CKR_ code, the token and the key label.
 */
import { UsageError } from '../../errors.js';
import type { KeyAttestation } from '../../attest/types.js';
import type { DeviceInfo, GenerateKeyOptions, Hsm, KeyInfo } from '../types.js';
import { attestKeyPair } from './attest.js';
import { mapPkcs11Error } from './errors.js';
import { generateKeyPairInToken } from './keygen.js';
import type { SelfTestChecks } from './keygen.js';
import { findKeyPair, keyInfo, listKeyPairs, requireKeyPair } from './keys.js';
import type { SessionContext } from './keys.js';
import type { ModuleLease } from './module.js';
import { deriveInToken, signInToken } from './operations.js';
import type { Pkcs11TokenSummary } from './tokens.js';

/** What an open PKCS#11 device holds. */
export interface Pkcs11HsmState {
  lease: ModuleLease;
  slot: Buffer;
  session: Buffer;
  token: Pkcs11TokenSummary;
  selfTestChecks: SelfTestChecks;
  clock: () => Date;
}

function bytes(v: unknown, field: string): Uint8Array {
  if (!(v instanceof Uint8Array))
    throw new UsageError('HSM_ARGUMENT_INVALID', `${field} must be a Uint8Array`, { field });
  return v;
}

/** An open token. Obtain one with `openPkcs11Hsm`. */
export class Pkcs11Hsm implements Hsm {
  readonly backend = 'pkcs11' as const;
  private closing: Promise<void> | undefined;
  private readonly ctx: SessionContext;

  /** Precondition: `state.session` is open and logged in, and `state.slot` is claimed on the lease. */
  constructor(private readonly state: Pkcs11HsmState) {
    this.ctx = {
      p: state.lease.pkcs11,
      session: state.session,
      module: state.lease.path,
      token: state.token.label,
    };
  }

  private op<T>(
    operation: string,
    key: string | undefined,
    task: (ctx: SessionContext) => T | Promise<T>,
  ): Promise<T> {
    if (this.closing !== undefined) {
      return Promise.reject(
        new UsageError('HSM_CLOSED', `${operation}: token '${this.state.token.label}' has been closed`),
      );
    }
    return this.state.lease.run(async () => {
      try {
        return await task(this.ctx);
      } catch (e) {
        throw mapPkcs11Error(e, {
          operation,
          module: this.ctx.module,
          token: this.ctx.token,
          ...(key === undefined ? {} : { key }),
        });
      }
    });
  }

  /** The token's identity (read at open). @throws UsageError `HSM_CLOSED`. */
  info(): Promise<DeviceInfo> {
    const t = this.state.token;
    return this.op('info', undefined, () => ({
      backend: 'pkcs11' as const,
      vendor: t.manufacturer,
      model: t.model,
      serial: t.serial,
      firmware: t.firmware,
      label: t.label,
    }));
  }

  /** Every Ed25519/P-256 key pair on the token, sorted by label. */
  listKeys(): Promise<KeyInfo[]> {
    return this.op('listKeys', undefined, (ctx) => listKeyPairs(ctx).map(keyInfo));
  }

  /** The key labelled `label`, or undefined. @throws UsageError `HSM_LABEL_AMBIGUOUS`, `HSM_KEY_UNSUPPORTED`. */
  findKey(label: string): Promise<KeyInfo | undefined> {
    return this.op('findKey', label, (ctx) => {
      const pair = findKeyPair(ctx, label);
      return pair === undefined ? undefined : keyInfo(pair);
    });
  }

  /** See `generateKeyPairInToken` for the checks, the self-test and what it throws. */
  generateKey(options: GenerateKeyOptions): Promise<KeyInfo> {
    return this.op('generateKey', options.label, async (ctx) =>
      keyInfo(await generateKeyPairInToken(ctx, this.state.slot, options, this.state.selfTestChecks)),
    );
  }

  /** Signs inside the token. @throws UsageError `HSM_KEY_NOT_FOUND`, `HSM_KEY_USAGE_NOT_PERMITTED`. */
  sign(label: string, message: Uint8Array): Promise<Uint8Array> {
    return this.op('sign', label, (ctx) =>
      signInToken(ctx, requireKeyPair(ctx, label), bytes(message, 'message')),
    );
  }

  /**
   * ECDH with the P-256 key `label` inside the token.
   *
   * @throws UsageError `HSM_KEY_NOT_FOUND`, `HSM_KEY_USAGE_NOT_PERMITTED`; MalformedError `HSM_PEER_KEY_INVALID`.
   */
  deriveSharedSecret(label: string, peerPublicKey: Uint8Array): Promise<Uint8Array> {
    return this.op('deriveSharedSecret', label, (ctx) =>
      deriveInToken(ctx, requireKeyPair(ctx, label), bytes(peerPublicKey, 'peerPublicKey')),
    );
  }

  /** A `pkcs11-attributes/v1` attestation of key `label` bound to `challenge`. */
  attestKey(label: string, challenge: Uint8Array): Promise<KeyAttestation> {
    return this.op('attestKey', label, (ctx) =>
      attestKeyPair(ctx, this.state.slot, requireKeyPair(ctx, label), challenge, this.state.clock()),
    );
  }

  /** Always `[]`: a plain PKCS#11 token has no vendor identity chain. */
  identityChain(): Promise<Uint8Array[]> {
    return this.op('identityChain', undefined, () => []);
  }

  /** Destroys both halves of the pair labelled `label`. @throws UsageError `HSM_KEY_NOT_FOUND`. */
  destroyKey(label: string): Promise<void> {
    return this.op('destroyKey', label, (ctx) => {
      const pair = requireKeyPair(ctx, label);
      ctx.p.C_DestroyObject(ctx.session, pair.privateKey);
      ctx.p.C_DestroyObject(ctx.session, pair.publicKeyObject);
    });
  }

  /**
   * Logs out, closes the session and releases the module (the last user finalises it). Calls
   * queued before `close` complete first; calls made after it fail with `HSM_CLOSED`. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const { lease, session } = this.state;
    await lease.run(() => {
      for (const step of [() => lease.pkcs11.C_Logout(session), () => lease.pkcs11.C_CloseSession(session)]) {
        try {
          step();
        } catch {
          // already logged out / closed (e.g. the token was removed): nothing left to release
        }
      }
    });
    lease.releaseSlot(this.state.token.slotId);
    await lease.release();
  }
}
