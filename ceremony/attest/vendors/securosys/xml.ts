/**
 * A strict reader for the small XML documents Securosys Primus signs as key attestations: an
 * optional `<?xml version="1.0" encoding="UTF-8"?>` declaration, then one element tree of
 * elements, double-quoted attributes and text. No comments, processing instructions, CDATA,
 * DOCTYPE or entity/character references (the attestation uses none, and each is a way for two
 * documents to say the same thing differently; the bytes are signed anyway).
 *
 * Written here because no XML parser is a dependency and the browser's DOMParser is not portable
 * to every client this verifier runs in.
 *
 * Portable: no `node:` imports.
 */
import { MalformedError } from '../../../errors.js';

/** An element: name, attributes in document order, child elements, and its own text. */
export interface XmlElement {
  name: string;
  attributes: ReadonlyMap<string, string>;
  children: XmlElement[];
  /** The element's character data (text between its tags, children excluded). */
  text: string;
}

const MAX_DEPTH = 8;
const MAX_BYTES = 64 * 1024;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function fail(reason: string, at: number): never {
  throw new MalformedError('SECUROSYS_XML_INVALID', `attestation XML: ${reason} at offset ${at}`, {
    field: 'xml',
  });
}

/**
 * Parses the document.
 *
 * @throws MalformedError `SECUROSYS_XML_INVALID` for anything outside the subset, mismatched tags,
 *   repeated attributes, invalid UTF-8 or trailing content.
 * @example parseXml(utf8('<a x="1">t</a>')).attributes.get('x') === '1'
 */
export function parseXml(bytes: Uint8Array): XmlElement {
  if (bytes.length > MAX_BYTES) fail(`larger than ${MAX_BYTES} bytes`, 0);
  let s: string;
  try {
    s = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail('not UTF-8', 0);
  }
  let i = 0;
  const space = (): void => {
    while (i < s.length && ' \t\n\r'.includes(s[i]!)) i++;
  };
  const name = (): string => {
    const m = NAME.exec(s.slice(i, i + 128));
    if (m === null) fail('expected a name', i);
    i += m[0].length;
    return m[0];
  };
  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail('elements nested too deep', i);
    if (s[i] !== '<') fail("expected '<'", i);
    i++;
    const tag = name();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = i;
      space();
      if (s[i] === '>' || s.startsWith('/>', i)) break;
      if (i === before) fail('expected whitespace before an attribute', i);
      const key = name();
      if (attributes.has(key)) fail(`attribute ${key} repeated`, i);
      if (!s.startsWith('="', i)) fail('expected =" after an attribute name', i);
      const end = s.indexOf('"', i + 2);
      if (end < 0) fail('unterminated attribute value', i);
      const value = s.slice(i + 2, end);
      if (/[<&]/.test(value)) fail('markup or a reference in an attribute value', i);
      attributes.set(key, value);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    if (s.startsWith('/>', i)) {
      i += 2;
      return { name: tag, attributes, children, text };
    }
    i++;
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) fail(`element ${tag} is not closed`, i);
      const chunk = s.slice(i, lt);
      if (chunk.includes('&') || chunk.includes('>')) fail("'&' or '>' in text", i);
      text += chunk;
      i = lt;
      if (s.startsWith('</', i)) {
        i += 2;
        if (name() !== tag) fail(`closing tag does not match <${tag}>`, i);
        space();
        if (s[i] !== '>') fail("expected '>'", i);
        i++;
        return { name: tag, attributes, children, text };
      }
      if (s.startsWith('<!', i) || s.startsWith('<?', i))
        fail('comments, CDATA and processing instructions are not accepted', i);
      children.push(element(depth + 1));
    }
  };
  if (s.startsWith('<?')) {
    if (!s.startsWith(DECLARATION)) fail(`the declaration must be ${DECLARATION}`, 0);
    i = DECLARATION.length;
  }
  space();
  const root = element(0);
  space();
  if (i !== s.length) fail('content after the root element', i);
  return root;
}

/** The one child element named `name`, or undefined; more than one is refused. */
export function child(parent: XmlElement, name: string): XmlElement | undefined {
  const found = parent.children.filter((c) => c.name === name);
  if (found.length > 1) fail(`<${name}> appears ${found.length} times in <${parent.name}>`, 0);
  return found[0];
}
