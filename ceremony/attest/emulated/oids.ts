/**
 * Object identifiers of the `emulated-x509/v1` attestation profile (docs/attestation.md).
 *
 * The arc is a UUID OID (ITU-T X.667, `2.25.<uuid as integer>`), minted for this project from UUID
 * 29e178b0-9da9-429e-ac2c-fa1d70e4122d, so it needs no registration and collides with no vendor.
 * Every extension is non-critical; each value is the DER of the ASN.1 type named beside it.
 */
export const EMULATED_ARC = '2.25.55669062502454697325095788520321323565';

export const OID = {
  /** UTF8String "EMULATED - not hardware". On the vendor root, device and key certificates. */
  emulatedMarker: `${EMULATED_ARC}.1`,
  /** UTF8String: device serial number. Device and key certificates. */
  deviceSerial: `${EMULATED_ARC}.2`,
  /** UTF8String: device firmware version, e.g. "1.0.0". Device and key certificates. */
  firmwareVersion: `${EMULATED_ARC}.3`,
  /** ENUMERATED { generated(0), imported(1) }: where the key came from. Key certificates. */
  keyOrigin: `${EMULATED_ARC}.4`,
  /** BOOLEAN: the private key can leave the device. Key certificates. */
  exportable: `${EMULATED_ARC}.5`,
  /** BOOLEAN: the private key is sensitive (never revealed in plaintext). Key certificates. */
  sensitive: `${EMULATED_ARC}.6`,
  /** SEQUENCE OF UTF8String ("sign" | "derive"): allowed usages. Key certificates. */
  usages: `${EMULATED_ARC}.7`,
  /** GeneralizedTime: when the key was generated. Key certificates. */
  generationTime: `${EMULATED_ARC}.8`,
  /** OCTET STRING: the caller-supplied challenge (the ceremony nonce). Key certificates. */
  challenge: `${EMULATED_ARC}.9`,
  /** UTF8String ("ed25519" | "p256" | "x25519"): key algorithm. Key certificates. */
  keyAlgorithm: `${EMULATED_ARC}.10`,
  /** UTF8String: the key's label in the device. Key certificates. */
  keyLabel: `${EMULATED_ARC}.11`,
  /** UTF8String: device model. Device and key certificates. */
  deviceModel: `${EMULATED_ARC}.12`,
} as const;

/** The value of the emulated marker extension. */
export const EMULATED_MARKER_TEXT = 'EMULATED - not hardware';

/** `KeyAttestation.format` of emulated key attestation certificates. */
export const EMULATED_FORMAT = 'emulated-x509/v1';
