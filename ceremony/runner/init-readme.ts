/** The README.md `fleet-ceremony init` writes into a new ceremony directory. */

/** What the README needs to know about the scaffold. */
export interface ReadmeFacts {
  template: string;
  rehearsal: boolean;
  ceremonyId: string;
  hsms: { id: string; dir?: string; serial: string; pinEnv: string }[];
}

/** The README text. */
export function ceremonyReadme(f: ReadmeFacts): string {
  const lines = [
    `# Ceremony ${f.ceremonyId}`,
    '',
    `Scaffolded by \`fleet-ceremony init\` from the \`${f.template}\` template.`,
    '',
    '| file | what |',
    '| --- | --- |',
    '| `ceremony.yaml` | the ceremony script: every field is described in docs/ceremony-script.md of fleet-ceremony |',
    '| `ceremony-script.schema.json` | its JSON Schema (editors with the YAML language server complete the script with it) |',
    '| `participants.json` | the participants and their public identity keys, for `fleet-ceremony transcript verify --participants` |',
    ...(f.rehearsal
      ? [
          '| `participants/*.key` | REHEARSAL identity keys (Ed25519, PEM PKCS#8, mode 0600), one per participant |',
        ]
      : []),
    '',
    '## Before the ceremony',
    '',
    '1. Edit `ceremony.yaml`, then check it: `fleet-ceremony script validate ceremony.yaml`.',
    '2. Print the paper script for every participant: `fleet-ceremony script print ceremony.yaml --pdf script.pdf`.',
    '3. Rehearse the plan without touching anything: `fleet-ceremony run ceremony.yaml --dry-run`.',
  ];
  if (f.rehearsal) {
    lines.push(
      '4. Create the emulated HSMs the script names (each PIN in the variable the script gives):',
      '',
      '   ```sh',
      '   fleet-ceremony hsm vendor-init vendor',
      ...f.hsms.map(
        (h) =>
          `   ${h.pinEnv}=... fleet-ceremony hsm init-emulated --vendor vendor --serial ${h.serial} --dir ${h.dir ?? h.id} --pin-env ${h.pinEnv}`,
      ),
      '   ```',
      '',
      'The keys in `participants/` are for this rehearsal only. In a real ceremony nobody receives a',
      'generated key: every participant brings their own identity key, on a token (smart card) or in a',
      'key file they made themselves (`openssl genpkey -algorithm ed25519 -out me.key`), and the script',
      'pins its public key.',
    );
  } else {
    lines.push(
      '4. Each participant enrols their own Ed25519 identity key (on their token, or',
      '   `openssl genpkey -algorithm ed25519 -out me.key; chmod 600 me.key`) and gives the administrator',
      '   the public key, which goes into `ceremony.yaml` as `publicKey` and into `participants.json`:',
      '',
      '   ```sh',
      '   openssl pkey -in me.key -pubout -outform DER | tail -c 32 | xxd -p -c 64',
      '   ```',
    );
  }
  lines.push(
    '',
    '## During and after',
    '',
    '- `fleet-ceremony run ceremony.yaml` runs it; the transcript is `work/transcript.jsonl`.',
    '- `fleet-ceremony transcript verify work/transcript.jsonl --participants participants.json` checks',
    '  the chain and every sign-off.',
    '',
  );
  return lines.join('\n');
}
