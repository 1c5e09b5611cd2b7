/**
 * Where sign-offs come from. A gate asks its {@link SignoffCollector} for one sign-off at a time
 * and checks each before recording it. Two collectors: {@link unattendedCollector} signs with key
 * files (rehearsals, CI: `--signer`, `--signoff-key`, `FLEET_CEREMONY_SIGNERS`,
 * `FLEET_CEREMONY_SIGNOFF_KEYS`), {@link interactiveCollector} asks who signs next and has them
 * sign with their key file or token.
 */
import type { Hsm } from '../hsm/index.js';
import { signWithKeyFile, signWithToken } from './identity-key.js';
import type { IdentitySignature } from './identity-key.js';
import type { ResolvedParticipant } from './participants.js';
import type { Prompts } from './prompts.js';
import type { Role } from '../transcript/roles.js';

/** What a gate needs next. */
export interface SignoffRequest {
  ceremonyId: string;
  stepId: string;
  stepTitle: string;
  role: Role;
  /** Sign-offs of this role still needed. */
  needed: number;
  /** The 32-byte transcript head being signed. */
  head: Uint8Array;
  /** The exact message to sign (`signoffMessage`). */
  message: Uint8Array;
  /** Participants of the role who have not signed this step yet, in script order. */
  candidates: readonly ResolvedParticipant[];
}

/** One sign-off as collected: checked by the gate before it is recorded. */
export interface CollectedSignoff {
  participant: string;
  signature: Uint8Array;
  publicKey: Uint8Array;
}

/** A source of sign-offs. */
export interface SignoffCollector {
  /** True if a refused sign-off may be followed by another attempt (a person can try again). */
  readonly retry: boolean;
  /** The next sign-off, or undefined when no one else can sign. */
  next(req: SignoffRequest): Promise<CollectedSignoff | undefined>;
}

/** Opens a participant's token (PIN from its variable or a prompt); the caller closes it. */
export type TokenOpener = (p: ResolvedParticipant) => Promise<Hsm>;

async function sign(
  p: ResolvedParticipant,
  message: Uint8Array,
  keyFile: string | undefined,
  openToken?: TokenOpener,
): Promise<IdentitySignature | undefined> {
  if (keyFile !== undefined) return signWithKeyFile(keyFile, message);
  if (p.token === undefined || openToken === undefined) return undefined;
  const hsm = await openToken(p);
  try {
    return await signWithToken(hsm, p.token.keyLabel, message, p.publicKey);
  } finally {
    await hsm.close();
  }
}

/** Options of {@link unattendedCollector}. */
export interface UnattendedOptions {
  /** Key files by participant id, overriding the script's `keyFile`. */
  keyFiles?: ReadonlyMap<string, string>;
  /** Who signs, in order of preference; default: every participant with a key, in script order. */
  signers?: readonly string[];
  /** Opens tokens; without it token participants are skipped. */
  openToken?: TokenOpener;
  /** Whether a token participant can sign unattended (e.g. their PIN variable is set). */
  tokenAvailable?: (p: ResolvedParticipant) => boolean;
}

/** Signs with the first candidates that have a key file (or a token it can open), in order. */
export function unattendedCollector(o: UnattendedOptions = {}): SignoffCollector {
  return {
    retry: false,
    async next(req) {
      const order =
        o.signers === undefined
          ? [...req.candidates]
          : o.signers.flatMap((id) => req.candidates.filter((c) => c.id === id));
      for (const p of order) {
        const keyFile = o.keyFiles?.get(p.id) ?? p.keyFile;
        const token = p.token !== undefined && o.openToken !== undefined && (o.tokenAvailable?.(p) ?? true);
        if (keyFile === undefined && !token) continue;
        const s = await sign(p, req.message, keyFile, o.openToken);
        if (s !== undefined) return { participant: p.id, ...s };
      }
      return undefined;
    },
  };
}

/** Asks on the terminal who signs next, then has them sign with their key file or token. */
export function interactiveCollector(o: {
  prompts: Prompts;
  keyFiles?: ReadonlyMap<string, string>;
  openToken: TokenOpener;
}): SignoffCollector {
  return {
    retry: true,
    async next(req) {
      const none = '\0none';
      const choice = await o.prompts.select(
        `Step "${req.stepTitle}": ${req.needed} more sign-off(s) by a ${req.role}. Who signs?`,
        [
          ...req.candidates.map((c) => ({
            value: c.id,
            label: `${c.name} (${c.id})`,
            hint: c.token !== undefined ? 'token' : 'key file',
          })),
          { value: none, label: 'No one else can sign (stop the ceremony)' },
        ],
      );
      if (choice === none) return undefined;
      const p = req.candidates.find((c) => c.id === choice)!;
      const preset = o.keyFiles?.get(p.id) ?? p.keyFile;
      const keyFile =
        p.token !== undefined && preset === undefined
          ? undefined
          : await o.prompts.text(`${p.name}: path of your identity key file`, {
              ...(preset === undefined ? {} : { initialValue: preset }),
              validate: (v) => (v.trim() === '' ? 'a path is needed' : undefined),
            });
      const s = await sign(p, req.message, keyFile?.trim(), o.openToken);
      return s === undefined ? undefined : { participant: p.id, ...s };
    },
  };
}
