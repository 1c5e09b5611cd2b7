/**
 * The module state certificate (`modstatemsg`, an M_ModCertMsg of type StateCert), signed by the
 * warrant's KLF2: the module's ESN, its key-generation certificate key KML, the hash of its security
 * officer key (HKNSO) and its module key list. Attributes the verifier does not know are refused.
 *
 * Portable: no `node:` imports.
 */
import { equalBytes } from '../../../codec/bytes.js';
import type { NcoreKey } from './keys.js';
import { keyHash, readKey } from './keys.js';
import { NcoreReader } from './ncore.js';

const MODCERT_STATE = 4;
const ATTR_ESN = 2;
const ATTR_KML = 3;
const ATTR_KNSO = 5;
const ATTR_KMLIST = 6;
const ATTR_KLF2 = 13;

/** What the module state certificate says. */
export interface ModuleState {
  esn: string;
  kml: NcoreKey;
  klf2: NcoreKey | undefined;
  hknso: Uint8Array;
  moduleKeys: Uint8Array[];
}

/**
 * Parses `modstatemsg`.
 *
 * @throws MalformedError `NSHIELD_NCORE_INVALID` for another message type, an unknown or repeated
 *   attribute, a missing ESN/KML/KNSO/KMList, or trailing bytes.
 */
export function parseModuleState(msg: Uint8Array): ModuleState {
  const r: NcoreReader = new NcoreReader(msg, 'modstatemsg');
  r.expect(MODCERT_STATE, 'certificate type');
  r.expect(0, 'certificate flags');
  const seen = new Set<number>();
  let esn: string | undefined;
  let kml: NcoreKey | undefined;
  let klf2: NcoreKey | undefined;
  let hknso: Uint8Array | undefined;
  let moduleKeys: Uint8Array[] | undefined;
  const n = r.count(8);
  for (let i = 0; i < n; i++) {
    const tag = r.u32();
    if (seen.has(tag)) r.fail(`module attribute ${tag} repeated`);
    seen.add(tag);
    if (tag === ATTR_ESN) {
      esn = r.string();
    } else if (tag === ATTR_KML || tag === ATTR_KLF2) {
      const hash = r.hash();
      const key = readKey(r);
      r.u32(); // signing mechanism
      // The key hash of P-521 keys (KLF2) is not documented; the format checks KLF2 against the warrant.
      const computed = keyHash(key);
      if (typeof computed !== 'string' && !equalBytes(computed, hash)) {
        r.fail(`module attribute ${tag}: the key does not match its hash`);
      }
      if (tag === ATTR_KML) kml = key;
      else klf2 = key;
    } else if (tag === ATTR_KNSO) {
      hknso = r.hash();
      r.u32(); // security officer permissions
    } else if (tag === ATTR_KMLIST) {
      moduleKeys = [];
      const count = r.count(28);
      for (let k = 0; k < count; k++) {
        moduleKeys.push(r.hash());
        r.u32();
        r.u32();
      }
    } else {
      r.fail(`unsupported module attribute ${tag}`);
    }
  }
  r.end();
  if (esn === undefined || kml === undefined || hknso === undefined || moduleKeys === undefined) {
    r.fail('lacks ESN, KML, KNSO or KMList');
  }
  return { esn, kml, klf2, hknso, moduleKeys };
}
