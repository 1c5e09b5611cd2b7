/**
 * Operator request signatures (docs/witness.md, "Authentication"). A submission carries four
 * headers:
 *
 *     X-Fleet-Operator:  the operator's registered name
 *     X-Fleet-Timestamp: milliseconds since the Unix epoch, canonical decimal
 *     X-Fleet-Nonce:     32 lowercase hex digits, fresh for every request
 *     X-Fleet-Signature: base64 of the operator key's signature over the message below
 *
 * The signed message binds the method, the path (with query), the operator, the time, the nonce
 * and SHA-256 of the body, each on its own line after a fixed context string:
 *
 *     fleet-ceremony/witness-request/v1\n<METHOD>\n<path>\n<operator>\n<timestamp>\n<nonce>\n<hex sha256(body)>\n
 *
 * Ed25519 keys sign it directly; P-256 keys make ECDSA over SHA-256 of it, raw r || s (what an
 * HSM's `sign` gives). The witness accepts a timestamp within the clock-skew window and each
 * (operator, nonce) once in that window, so a captured request cannot be replayed.
 */
import { base64Encode, hexEncode, utf8Encode } from '../../codec/index.js';
import { randomBytes, sha256 } from '../../crypto/index.js';

/** First line of every signed request message. */
export const REQUEST_SIGNATURE_CONTEXT = 'fleet-ceremony/witness-request/v1';

/** Header names (lowercase, as Node gives them). */
export const AUTH_HEADERS = {
  operator: 'x-fleet-operator',
  timestamp: 'x-fleet-timestamp',
  nonce: 'x-fleet-nonce',
  signature: 'x-fleet-signature',
} as const;

/** What a request signature covers. */
export interface RequestSignatureFields {
  method: string;
  /** The request target as sent: path and query, percent-encoding untouched. */
  path: string;
  operator: string;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** 32 lowercase hex digits. */
  nonce: string;
  /** SHA-256 of the body bytes (of an empty body for none). */
  bodyDigest: Uint8Array;
}

/** The exact bytes an operator signs. */
export function requestSigningMessage(f: RequestSignatureFields): Uint8Array {
  const lines = [
    REQUEST_SIGNATURE_CONTEXT,
    f.method.toUpperCase(),
    f.path,
    f.operator,
    String(f.timestamp),
    f.nonce,
    hexEncode(f.bodyDigest),
  ];
  return utf8Encode(lines.join('\n') + '\n');
}

/** Options of {@link signRequest}. */
export interface SignRequestOptions {
  method: string;
  path: string;
  body: Uint8Array;
  operator: string;
  /** Signs the message with the operator's key (a key file, or an HSM). */
  sign: (message: Uint8Array) => Promise<Uint8Array> | Uint8Array;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Nonce (default: 16 random bytes in hex). */
  nonce?: string;
}

/** The authentication headers of a request. */
export async function signRequest(o: SignRequestOptions): Promise<Record<string, string>> {
  const timestamp = (o.now ?? Date.now)();
  const nonce = o.nonce ?? hexEncode(randomBytes(16));
  const message = requestSigningMessage({
    method: o.method,
    path: o.path,
    operator: o.operator,
    timestamp,
    nonce,
    bodyDigest: sha256(o.body),
  });
  const signature = await o.sign(message);
  return {
    [AUTH_HEADERS.operator]: o.operator,
    [AUTH_HEADERS.timestamp]: String(timestamp),
    [AUTH_HEADERS.nonce]: nonce,
    [AUTH_HEADERS.signature]: base64Encode(signature),
  };
}
