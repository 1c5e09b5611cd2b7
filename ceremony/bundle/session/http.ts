/**
 * The HTTP transport of the session protocol (docs/session-protocol.md, "HTTP"), over the fetch
 * API (browsers, React Native, Node 20's global `fetch`, or one the caller passes): POST a CBOR
 * body, read a bounded reply, and turn a server's JSON refusal into a typed error.
 *
 * Portable: no `node:` imports; the only I/O is the `fetch` the caller provides or the global one.
 */
import { utf8Decode } from '../../codec/index.js';
import { isCeremonyError } from '../../errors.js';
import { SESSION_CONTENT_TYPE } from './protocol.js';
import { refuse, usage } from './session-errors.js';

/** How requests are made. */
export interface HttpOptions {
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30000). */
  timeoutMs?: number;
}

/** A server's refusal: its HTTP status and, when it sent one, its reason code and message. */
export interface ServerRefusal {
  status: number;
  code: string;
  message: string;
}

const MAX_REFUSAL_BYTES = 16_384;

/**
 * The server's base URL without a trailing slash.
 * @throws UsageError `SESSION_URL_INVALID` unless it is an http(s) URL without query or fragment.
 */
export function baseUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return usage('SESSION_URL_INVALID', 'url', `${JSON.stringify(String(url).slice(0, 200))} is not a URL`);
  }
  if (
    (u.protocol !== 'http:' && u.protocol !== 'https:') ||
    u.search !== '' ||
    u.hash !== '' ||
    u.username !== '' ||
    u.password !== ''
  ) {
    usage('SESSION_URL_INVALID', 'url', 'want http:// or https://, without credentials, query or fragment');
  }
  return u.href.replace(/\/+$/, '');
}

/**
 * POSTs a CBOR body.
 * @throws UsageError `SESSION_HTTP_FAILED` when the server cannot be reached or times out.
 */
export async function postCbor(url: string, body: Uint8Array, o: HttpOptions): Promise<Response> {
  const f = o.fetch ?? globalThis.fetch;
  try {
    return await f(url, {
      method: 'POST',
      headers: { 'content-type': SESSION_CONTENT_TYPE, accept: `${SESSION_CONTENT_TYPE}, application/json` },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
  } catch (e) {
    return usage(
      'SESSION_HTTP_FAILED',
      'url',
      `POST ${url}: ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  }
}

/**
 * The body of a response, refusing more than `max` bytes without reading them all.
 * @throws VerificationError `SESSION_REPLY_MALFORMED` (too large); UsageError `SESSION_HTTP_FAILED`.
 */
export async function readBody(res: Response, max: number, field: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > max)
    refuse('SESSION_REPLY_MALFORMED', field, `the server announces ${declared} bytes, limit ${max}`);
  const reader = res.body?.getReader();
  if (reader === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) {
        await reader.cancel();
        refuse('SESSION_REPLY_MALFORMED', field, `the server sent more than ${max} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (isCeremonyError(e)) throw e;
    usage(
      'SESSION_HTTP_FAILED',
      field,
      `reading the reply: ${e instanceof Error ? e.message : String(e)}`,
      e,
    );
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A successful reply's CBOR body.
 * @throws VerificationError `SESSION_REPLY_MALFORMED` for another content type or an oversized body.
 */
export async function readCbor(res: Response, max: number, field: string): Promise<Uint8Array> {
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== SESSION_CONTENT_TYPE) {
    await res.body?.cancel();
    refuse(
      'SESSION_REPLY_MALFORMED',
      field,
      `content type ${JSON.stringify(type.slice(0, 64))}, want ${SESSION_CONTENT_TYPE}`,
    );
  }
  return readBody(res, max, field);
}

/** Reads a refusal (`{ "error": CODE, "message": "..." }`); anything else is described by its status. */
export async function readRefusal(res: Response): Promise<ServerRefusal> {
  let text: string;
  try {
    text = utf8Decode(await readBody(res, MAX_REFUSAL_BYTES, 'refusal'));
  } catch {
    text = '';
  }
  let code = `HTTP_${res.status}`;
  let message = text.slice(0, 300);
  try {
    const o = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof o.error === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(o.error)) code = o.error;
    if (typeof o.message === 'string') message = o.message.slice(0, 500);
  } catch {
    // not JSON: keep the status and the start of the text
  }
  return { status: res.status, code, message };
}
