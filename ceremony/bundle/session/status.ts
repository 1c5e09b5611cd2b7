/**
 * The data of a `status` reply (docs/session-protocol.md, "Calls"): what the fleet server says
 * about itself over the authenticated channel — the namespace and epoch of the bundle it serves,
 * the fleet key it used, and its clock. A client compares the first two with the bundle it
 * verified.
 *
 * Portable: no `node:` imports.
 */
import { encodeCbor } from '../../codec/index.js';
import { MAX_TIME_MS, NAMESPACE_PATTERN, ID_PATTERN } from '../fleet-key-set-schema.js';
import { STATUS_KEYS } from './protocol.js';
import { decoding } from './session-errors.js';
import { decodeMessage } from './wire.js';

/** A fleet server's status. */
export interface FleetStatus {
  namespace: string;
  epoch: bigint;
  /** The fleet session key of this session. */
  keyId: string;
  /** The server's clock, ms since the Unix epoch. */
  time: number;
}

/** Encodes a status. @throws MalformedError `SESSION_CALL_MALFORMED` for a field out of bounds. */
export function encodeStatus(s: FleetStatus): Uint8Array {
  const bytes = encodeCbor(
    new Map<number, string | bigint | number>([
      [STATUS_KEYS.namespace, s.namespace],
      [STATUS_KEYS.epoch, s.epoch],
      [STATUS_KEYS.keyId, s.keyId],
      [STATUS_KEYS.time, s.time],
    ]),
  );
  decodeStatus(bytes);
  return bytes;
}

/** Decodes a status strictly. @throws MalformedError `SESSION_CALL_MALFORMED`. */
export function decodeStatus(bytes: Uint8Array): FleetStatus {
  const f = decodeMessage(bytes, {
    path: 'status',
    code: 'SESSION_CALL_MALFORMED',
    maxBytes: 512,
    keys: STATUS_KEYS,
    versioned: false,
  });
  return decoding('SESSION_CALL_MALFORMED', 'status', () => ({
    namespace: f.text('namespace', NAMESPACE_PATTERN),
    epoch: f.uint64('epoch', 1n),
    keyId: f.text('keyId', ID_PATTERN),
    time: f.uint('time', 0, MAX_TIME_MS),
  }));
}
