/** Test sizing: CI-sized by default, larger when FLEET_LONG_TESTS=1. */
export const LONG = process.env.FLEET_LONG_TESTS === '1';

/** fast-check runs: `ci` by default, `long` under FLEET_LONG_TESTS=1. */
export const runs = (ci: number, long: number): number => (LONG ? long : ci);

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
