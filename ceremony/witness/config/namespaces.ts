/**
 * Changing the registered namespaces, operators and cosigned logs in witness.json (the CLI's
 * `witness namespace add|set` and `witness cosign add-log`). Every change re-validates the whole
 * configuration before it is written atomically.
 */
import { hexDecode } from '../../codec/index.js';
import { checkPublicKey } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import { parseVerifierKey } from '../../tlog/index.js';
import { OPERATOR_NAME } from './fields.js';
import { updateWitnessConfig } from './store.js';
import type { CosignedLogConfig, NamespaceConfig, OperatorConfig, WitnessConfig } from './types.js';

function invalid(
  code: 'WITNESS_NAMESPACE_INVALID' | 'WITNESS_OPERATOR_CONFLICT' | 'WITNESS_NAMESPACE_EXISTS',
  field: string,
  reason: string,
): never {
  throw new UsageError(code, `${field}: ${reason}`, { field });
}

/**
 * Parses an operator as the CLI takes it: a C2SP Ed25519 verifier key (`name+id+base64`, the key
 * name being the operator's), or `name:ed25519:<hex>` / `name:p256:<hex>` (P-256 SEC 1
 * uncompressed).
 * @throws UsageError `WITNESS_NAMESPACE_INVALID`.
 */
export function parseOperatorSpec(spec: string): OperatorConfig {
  const m = /^([^:+]+):(ed25519|p256):([0-9a-f]+)$/.exec(spec);
  let op: OperatorConfig;
  if (m !== null) {
    const algorithm = m[2] as 'ed25519' | 'p256';
    try {
      op = {
        name: m[1]!,
        algorithm,
        publicKey: hexDecode(m[3]!, 'operator.publicKey', algorithm === 'ed25519' ? 32 : 65),
      };
      checkPublicKey(algorithm, op.publicKey, 'operator.publicKey');
    } catch (e) {
      invalid(
        'WITNESS_NAMESPACE_INVALID',
        'operator',
        `${JSON.stringify(spec.slice(0, 80))}: ${(e as Error).message}`,
      );
    }
  } else {
    let v;
    try {
      v = parseVerifierKey(spec);
    } catch (e) {
      invalid(
        'WITNESS_NAMESPACE_INVALID',
        'operator',
        `want a verifier key or name:ed25519|p256:<hex> (${(e as Error).message})`,
      );
    }
    if (v.type !== 0x01)
      invalid('WITNESS_NAMESPACE_INVALID', 'operator', 'a verifier key must be of type 0x01 (Ed25519)');
    op = { name: v.name, algorithm: 'ed25519', publicKey: v.publicKey };
  }
  if (!OPERATOR_NAME.test(op.name))
    invalid('WITNESS_NAMESPACE_INVALID', 'operator.name', 'want 1-64 of A-Z a-z 0-9 . _ -');
  return op;
}

function mergeOperators(existing: OperatorConfig[], added: readonly OperatorConfig[]): OperatorConfig[] {
  const out = [...existing];
  for (const op of added) {
    const old = out.find((o) => o.name === op.name);
    if (old === undefined) out.push(op);
    else if (
      old.algorithm !== op.algorithm ||
      old.publicKey.length !== op.publicKey.length ||
      !old.publicKey.every((b, i) => b === op.publicKey[i])
    ) {
      invalid('WITNESS_OPERATOR_CONFLICT', 'operator', `${op.name} is registered with another key already`);
    }
  }
  return out;
}

/** A namespace to add, with its operators' keys. */
export type NewNamespace = Omit<NamespaceConfig, 'operators'> & { operators: OperatorConfig[] };

/**
 * Registers a namespace.
 * @throws UsageError `WITNESS_NAMESPACE_EXISTS`, `WITNESS_OPERATOR_CONFLICT`, `WITNESS_CONFIG_INVALID`.
 */
export function addNamespace(dir: string, ns: NewNamespace): WitnessConfig {
  return updateWitnessConfig(dir, (c) => {
    if (c.namespaces.some((n) => n.name === ns.name))
      invalid('WITNESS_NAMESPACE_EXISTS', 'namespace', `${ns.name} is registered already`);
    return {
      ...c,
      operators: mergeOperators(c.operators, ns.operators),
      namespaces: [...c.namespaces, { ...ns, operators: [...new Set(ns.operators.map((o) => o.name))] }],
    };
  });
}

/**
 * Changes a namespace's online flag and/or adds operators to it.
 * @throws UsageError `WITNESS_NAMESPACE_INVALID` (unknown), `WITNESS_OPERATOR_CONFLICT`.
 */
export function updateNamespace(
  dir: string,
  name: string,
  change: { online?: boolean; addOperators?: OperatorConfig[] },
): WitnessConfig {
  return updateWitnessConfig(dir, (c) => {
    const ns = c.namespaces.find((n) => n.name === name);
    if (ns === undefined)
      invalid('WITNESS_NAMESPACE_INVALID', 'namespace', `no namespace ${JSON.stringify(name)}`);
    const added = change.addOperators ?? [];
    const next: NamespaceConfig = {
      ...ns,
      online: change.online ?? ns.online,
      operators: [...new Set([...ns.operators, ...added.map((o) => o.name)])],
    };
    return {
      ...c,
      operators: mergeOperators(c.operators, added),
      namespaces: c.namespaces.map((n) => (n === ns ? next : n)),
    };
  });
}

/**
 * Adds a log whose checkpoints the witness cosigns (or more verifier keys for a known origin).
 * @throws UsageError `WITNESS_CONFIG_INVALID` when a key is not named as the origin.
 */
export function addCosignedLog(dir: string, log: CosignedLogConfig): WitnessConfig {
  return updateWitnessConfig(dir, (c) => {
    const old = c.cosigning.logs.find((l) => l.origin === log.origin);
    const logs =
      old === undefined
        ? [...c.cosigning.logs, log]
        : c.cosigning.logs.map((l) =>
            l === old
              ? { origin: l.origin, verifierKeys: [...new Set([...l.verifierKeys, ...log.verifierKeys])] }
              : l,
          );
    return { ...c, cosigning: { logs } };
  });
}
