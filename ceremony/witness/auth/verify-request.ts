/**
 * Checking an operator request signature (./request-signature.ts) on the server, in this order,
 * each failure with its own code: headers present (`AUTH_MISSING`) and well-formed
 * (`AUTH_MALFORMED`), operator registered (`AUTH_UNKNOWN_OPERATOR`), timestamp within the skew
 * window (`AUTH_TIMESTAMP_SKEW`), signature valid over this method, path and body
 * (`AUTH_SIGNATURE_INVALID`), nonce not seen before (`AUTH_REPLAY`). All are 401.
 */
import { base64Decode } from '../../codec/index.js';
import { ed25519, p256, sha256 } from '../../crypto/index.js';
import { refuse } from '../codes.js';
import type { OperatorConfig } from '../config/types.js';
import { AUTH_HEADERS, requestSigningMessage } from './request-signature.js';

/** The request as the server received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** What the check needs from the witness. */
export interface VerifyRequestOptions {
  operators: readonly OperatorConfig[];
  now: number;
  clockSkewSeconds: number;
  /** Records a nonce id; false if it was already used (see WitnessState.useNonce). */
  useNonce: (id: Uint8Array, expires: number) => boolean;
}

function header(req: ReceivedRequest, name: string): string {
  const v = req.headers[name];
  if (v === undefined || v === '')
    refuse('AUTH_MISSING', name, 'missing; submissions must be signed by a registered operator');
  if (typeof v !== 'string') refuse('AUTH_MALFORMED', name, 'given more than once');
  return v;
}

function verifies(op: OperatorConfig, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return op.algorithm === 'ed25519'
      ? ed25519.verify(op.publicKey, message, signature)
      : p256.verify(op.publicKey, message, signature);
  } catch {
    return false;
  }
}

/**
 * Authenticates a request; returns the operator.
 * @throws WitnessError `AUTH_MISSING`, `AUTH_MALFORMED`, `AUTH_UNKNOWN_OPERATOR`,
 *   `AUTH_TIMESTAMP_SKEW`, `AUTH_SIGNATURE_INVALID`, `AUTH_REPLAY`.
 */
export function verifyRequest(req: ReceivedRequest, o: VerifyRequestOptions): OperatorConfig {
  const name = header(req, AUTH_HEADERS.operator);
  const tsText = header(req, AUTH_HEADERS.timestamp);
  const nonce = header(req, AUTH_HEADERS.nonce);
  const sigText = header(req, AUTH_HEADERS.signature);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(tsText) || !Number.isSafeInteger(Number(tsText))) {
    refuse(
      'AUTH_MALFORMED',
      AUTH_HEADERS.timestamp,
      'want milliseconds since the Unix epoch, canonical decimal',
    );
  }
  if (!/^[0-9a-f]{32}$/.test(nonce))
    refuse('AUTH_MALFORMED', AUTH_HEADERS.nonce, 'want 32 lowercase hex digits');
  let signature: Uint8Array;
  try {
    signature = base64Decode(sigText, AUTH_HEADERS.signature);
  } catch {
    refuse('AUTH_MALFORMED', AUTH_HEADERS.signature, 'want canonical base64');
  }
  const op = o.operators.find((x) => x.name === name);
  if (op === undefined)
    refuse(
      'AUTH_UNKNOWN_OPERATOR',
      AUTH_HEADERS.operator,
      `no operator ${JSON.stringify(name.slice(0, 64))} is registered`,
    );
  const timestamp = Number(tsText);
  const skew = o.clockSkewSeconds * 1000;
  if (Math.abs(timestamp - o.now) > skew) {
    refuse(
      'AUTH_TIMESTAMP_SKEW',
      AUTH_HEADERS.timestamp,
      `${timestamp} is more than ${o.clockSkewSeconds} s from the witness clock (${o.now})`,
    );
  }
  const message = requestSigningMessage({
    method: req.method,
    path: req.path,
    operator: name,
    timestamp,
    nonce,
    bodyDigest: sha256(req.body),
  });
  if (!verifies(op, message, signature)) {
    refuse(
      'AUTH_SIGNATURE_INVALID',
      AUTH_HEADERS.signature,
      `does not verify under operator ${name}'s ${op.algorithm} key for this method, path and body`,
    );
  }
  const id = sha256(new TextEncoder().encode(`${name}\n${nonce}`));
  if (!o.useNonce(id, Math.max(timestamp, o.now) + skew)) {
    refuse(
      'AUTH_REPLAY',
      AUTH_HEADERS.nonce,
      'this request was seen before; sign every request with a fresh nonce',
    );
  }
  return op;
}
