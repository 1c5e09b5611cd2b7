/**
 * Public vectors (test/vectors/signed-note): the C2SP signed-note example and the Go sumdb/note
 * vector, whose signer key reproduces the note byte for byte and whose bad verifier keys, like
 * every truncation and one-byte change of the good key (as Go's TestNewVerifier does), are refused.
 */
import { describe, expect, it } from 'vitest';
import {
  formatVerifierKey,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../../ceremony/tlog/index.js';
import { MalformedError } from '../../../ceremony/errors.js';
import { malformed, unverified, vector } from './helpers.js';

interface NoteVector {
  vkey: string;
  skey?: string;
  note: string;
  text: string;
  bad_vkeys?: string[];
}

const c2sp = vector<NoteVector & { valid: boolean }>('signed-note/c2sp-example.json');
const go = vector<NoteVector>('signed-note/go-sumdb-note.json');

describe('C2SP signed-note example', () => {
  it('parses the verifier key with the ID of the spec', () => {
    const v = parseVerifierKey(c2sp.vkey);
    expect(v.name).toBe('example.com/foo');
    expect(v.keyId).toBe(0x530d903a);
    expect(v.type).toBe(0x01);
    expect(formatVerifierKey(v)).toBe(c2sp.vkey);
  });

  it('opens the note to the expected text', () => {
    expect(c2sp.valid).toBe(true);
    const opened = openNote(c2sp.note, [parseVerifierKey(c2sp.vkey)]);
    expect(opened.text).toBe(c2sp.text);
    expect(opened.signatures.map((s) => [s.name, s.keyId])).toEqual([['example.com/foo', 0x530d903a]]);
    expect(opened.unverified).toEqual([]);
  });

  it('opens the note given as UTF-8 bytes', () => {
    expect(openNote(new TextEncoder().encode(c2sp.note), [parseVerifierKey(c2sp.vkey)]).text).toBe(c2sp.text);
  });

  it('does not open the note under an unrelated key', () => {
    unverified(() => openNote(c2sp.note, [parseVerifierKey(go.vkey)]), 'NOTE_NO_VERIFIED_SIGNATURE');
  });
});

describe('Go sumdb/note vector', () => {
  it('opens the note', () => {
    const opened = openNote(go.note, [parseVerifierKey(go.vkey)]);
    expect(opened.text).toBe(go.text);
    expect(opened.signatures[0]?.keyId).toBe(0xc74f20a3);
  });

  it('signs the text into exactly the published note (Ed25519 is deterministic)', () => {
    expect(signNote(go.text, parseSignerKey(go.skey!))).toBe(go.note);
  });

  it('derives the verifier key from the signer key', () => {
    const signer = parseSignerKey(go.skey!);
    const v = parseVerifierKey(go.vkey);
    expect([signer.name, signer.keyId, signer.type]).toEqual([v.name, v.keyId, v.type]);
  });

  it('refuses both bad_vkeys with the precise reason', () => {
    expect(go.bad_vkeys).toHaveLength(2);
    // Go refuses this one for its key length; its base64 already has non-zero pad bits ("Y==").
    malformed(() => parseVerifierKey(go.bad_vkeys![0]!), 'VKEY_KEY_INVALID');
    malformed(() => parseVerifierKey(go.bad_vkeys![1]!), 'VKEY_TYPE_UNSUPPORTED');
  });

  it('refuses every proper substring of the verifier key', () => {
    const k = go.vkey;
    let n = 0;
    for (let i = 0; i <= k.length; i++) {
      for (let j = i; j <= k.length; j++) {
        if (i === 0 && j === k.length) continue;
        expect(() => parseVerifierKey(k.slice(i, j)), k.slice(i, j)).toThrow(MalformedError);
        n++;
      }
    }
    expect(n).toBeGreaterThan(2000);
  });

  it('refuses every one-character increment of the verifier key', () => {
    const k = go.vkey;
    for (let i = 0; i < k.length; i++) {
      const bad = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      expect(() => parseVerifierKey(bad), bad).toThrow(MalformedError);
    }
  });

  it('refuses every one-character increment of the signer key, without echoing it', () => {
    const k = go.skey!;
    for (let i = 0; i < k.length; i++) {
      const bad = k.slice(0, i) + String.fromCharCode(k.charCodeAt(i) + 1) + k.slice(i + 1);
      let caught: unknown;
      try {
        parseSignerKey(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught, bad).toBeInstanceOf(MalformedError);
      const text = `${(caught as Error).message} ${JSON.stringify(caught)}`;
      expect(text).not.toContain(k.split('+')[4]!.slice(4, 40));
    }
  });
});
