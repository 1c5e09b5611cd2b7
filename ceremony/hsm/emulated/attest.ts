/**
 * Key attestation inside the emulated device: the `emulated-x509/v1` certificate for one stored
 * key, signed by the device attestation key (which never leaves the device: the certificate
 * builder only gets a signing callback), with the device's identity chain.
 */
import { EMULATED_FORMAT } from '../../attest/emulated/oids.js';
import type { KeyAttestation } from '../../attest/types.js';
import { encodeSpki } from '../../crypto/index.js';
import { UsageError } from '../../errors.js';
import { buildKeyAttestationCertificate } from './certs.js';
import type { CertificateSigner } from './certs.js';
import { signWith } from './keys.js';
import type { KeystorePayload, StoredKey } from './payload.js';
import { checkChallenge } from './validate.js';

/**
 * Attests `key` of the device whose state is `state`, binding `challenge`.
 * @throws UsageError `HSM_CHALLENGE_INVALID` (not 1–256 bytes); `HSM_NOT_INITIALIZED` if the
 *   device has no identity chain.
 */
export async function attestStoredKey(
  state: KeystorePayload,
  key: StoredKey,
  challenge: Uint8Array,
  now: Date = new Date(),
): Promise<KeyAttestation> {
  checkChallenge(challenge);
  const d = state.device;
  const [deviceCertDer, rootDer] = d.chain;
  if (deviceCertDer === undefined || rootDer === undefined)
    throw new UsageError('HSM_NOT_INITIALIZED', 'this device has no identity chain');
  const att = state.attestationKey;
  const signer: CertificateSigner = {
    spki: encodeSpki('p256', att.publicKey),
    sign: (tbs) => Promise.resolve(signWith('p256', att.secretKey, tbs)),
  };
  const statement = await buildKeyAttestationCertificate({
    deviceCertDer,
    device: { serial: d.serial, model: d.model, firmware: d.firmware },
    key: {
      label: key.label,
      algorithm: key.algorithm,
      usages: key.usages,
      origin: key.origin,
      exportable: false, // no method of the device returns a private key
      sensitive: true, // private keys exist in plaintext only inside the device's session
      generationTime: new Date(key.createdAt),
      challenge: challenge.slice(),
    },
    keySpki: encodeSpki(key.algorithm, key.publicKey),
    signer,
    now,
  });
  return { format: EMULATED_FORMAT, statement, chain: [deviceCertDer.slice(), rootDer.slice()] };
}
