/**
 * The operator's side of the witness API (`witness sign`): signed POSTs (./auth), GET of JSON
 * documents, and the witness's refusals turned back into {@link WitnessError}s with the server's
 * code and message.
 */
import { UsageError } from '../../errors.js';
import { signRequest } from '../auth/request-signature.js';
import { WITNESS_REFUSALS, WitnessError } from '../codes.js';
import type { WitnessRefusalCode } from '../codes.js';

/** An operator key that signs requests (and counter-signatures): a key file or an HSM key. */
export interface OperatorSigner {
  name: string;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** Options shared by the client calls. */
export interface ClientOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** Per-request timeout, ms (default 60000). */
  timeoutMs?: number;
}

/** Joins a base URL and an absolute path. */
export function witnessUrl(base: string, path: string): string {
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new UsageError('WITNESS_URL_INVALID', `url: ${JSON.stringify(base.slice(0, 200))} is not a URL`, {
      field: 'url',
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError('WITNESS_URL_INVALID', 'url: want http or https', { field: 'url' });
  return base.replace(/\/+$/, '') + path;
}

async function readReply(res: Response, where: string): Promise<unknown> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.ok) {
    if (json === undefined) throw new UsageError('WITNESS_REPLY_INVALID', `${where}: the reply is not JSON`);
    return json;
  }
  const o = (json ?? {}) as { error?: unknown; message?: unknown; field?: unknown; failures?: unknown };
  const code = typeof o.error === 'string' ? o.error : '';
  const message = typeof o.message === 'string' ? o.message : text.slice(0, 500);
  if (code in WITNESS_REFUSALS) {
    throw new WitnessError(
      code as WitnessRefusalCode,
      `the witness refused (HTTP ${res.status}): ${message}`,
      {
        ...(typeof o.field === 'string' ? { field: o.field } : {}),
        ...(Array.isArray(o.failures) ? { failures: o.failures as { code: string; reason: string }[] } : {}),
      },
    );
  }
  throw new UsageError('WITNESS_HTTP_FAILED', `${where}: HTTP ${res.status}: ${message}`);
}

async function call(url: string, init: RequestInit, o: ClientOptions): Promise<unknown> {
  const f = o.fetch ?? fetch;
  let res: Response;
  try {
    res = await f(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs ?? 60_000) });
  } catch (e) {
    throw new UsageError('WITNESS_HTTP_FAILED', `${url}: ${(e as Error).message}`, { cause: e });
  }
  return readReply(res, url);
}

/** GETs a JSON document of the witness. */
export async function getJson(base: string, path: string, o: ClientOptions = {}): Promise<unknown> {
  return call(witnessUrl(base, path), { method: 'GET' }, o);
}

/**
 * POSTs `body` (CBOR) to `path`, signed by the operator.
 * @throws WitnessError with the witness's code when it refuses; UsageError `WITNESS_HTTP_FAILED`.
 */
export async function postSigned(
  base: string,
  path: string,
  body: Uint8Array,
  signer: OperatorSigner,
  o: ClientOptions = {},
): Promise<unknown> {
  const url = witnessUrl(base, path);
  const headers = await signRequest({
    method: 'POST',
    path: new URL(url).pathname,
    body,
    operator: signer.name,
    sign: (m) => signer.sign(m),
    ...(o.now === undefined ? {} : { now: o.now }),
  });
  return call(
    url,
    { method: 'POST', body: Buffer.from(body), headers: { ...headers, 'content-type': 'application/cbor' } },
    o,
  );
}
