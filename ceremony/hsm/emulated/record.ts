/**
 * `device.json`: the emulated HSM's public descriptor (docs/hsm.md, "State format"), readable
 * without the PIN: what the device is, its identity chain, and whether it has been zeroised.
 *
 * It is not trusted: after login the device compares it with the authoritative copy inside the
 * encrypted keystore and refuses to run (`HSM_STATE_TAMPERED`) if they differ.
 */
import { join } from 'node:path';
import { base64Decode, base64Encode } from '../../codec/index.js';
import { MalformedError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../io/index.js';
import { readStateFile } from './files.js';
import type { DeviceRecord } from './payload.js';

/** The public descriptor file in the state directory. */
export const DEVICE_FILE = 'device.json';
/** `format` of device.json. */
export const DEVICE_FORMAT = 'fleet-ceremony/emulated-hsm/v1';

/** device.json, decoded. */
export interface DeviceDescriptor {
  state: 'ready' | 'zeroized';
  record: DeviceRecord;
  zeroizedAt?: string;
}

/** Writes device.json atomically. */
export function writeDeviceDescriptor(dir: string, d: DeviceDescriptor): void {
  const r = d.record;
  const json = {
    format: DEVICE_FORMAT,
    state: d.state,
    serial: r.serial,
    model: r.model,
    firmware: r.firmware,
    vendor: r.vendor,
    label: r.label,
    createdAt: r.createdAt,
    ...(d.zeroizedAt === undefined ? {} : { zeroizedAt: d.zeroizedAt }),
    chain: r.chain.map((c) => base64Encode(c)),
  };
  writeFileAtomic(join(dir, DEVICE_FILE), JSON.stringify(json, null, 2) + '\n', 0o644);
}

/**
 * Reads device.json from a state directory.
 * @throws UsageError `HSM_NOT_INITIALIZED` when `dir` holds no emulated HSM;
 *   MalformedError `HSM_STATE_MALFORMED` naming the file and field when it cannot be decoded.
 */
export function readDeviceDescriptor(dir: string): DeviceDescriptor {
  const file = join(dir, DEVICE_FILE);
  let text: string;
  try {
    text = readStateFile(file, 1 << 20, 'HSM_NOT_INITIALIZED').toString('utf8');
  } catch (e) {
    if (e instanceof UsageError && e.code === 'HSM_NOT_INITIALIZED')
      throw new UsageError(
        'HSM_NOT_INITIALIZED',
        `holds no emulated HSM (${DEVICE_FILE} is missing); create one with "hsm init-emulated"`,
        { file: dir },
      );
    throw e;
  }
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new MalformedError('HSM_STATE_MALFORMED', `not valid JSON`, { file, cause: e });
  }
  const bad = (field: string): never => {
    throw new MalformedError('HSM_STATE_MALFORMED', `${field} is missing or invalid`, { field, file });
  };
  if (typeof j !== 'object' || j === null) return bad('(root)');
  const o = j as Record<string, unknown>;
  const str = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : bad(k));
  if (o.format !== DEVICE_FORMAT) bad('format');
  const state = str('state');
  if (state !== 'ready' && state !== 'zeroized') bad('state');
  if (!Array.isArray(o.chain)) bad('chain');
  const chain = (o.chain as unknown[]).map((c, i) =>
    typeof c === 'string' ? base64Decode(c, `chain[${i}]`) : bad(`chain[${i}]`),
  );
  const record: DeviceRecord = {
    serial: str('serial'),
    model: str('model'),
    firmware: str('firmware'),
    vendor: str('vendor'),
    label: str('label'),
    createdAt: str('createdAt'),
    chain,
  };
  return {
    state: state as DeviceDescriptor['state'],
    record,
    ...(typeof o.zeroizedAt === 'string' ? { zeroizedAt: o.zeroizedAt } : {}),
  };
}
