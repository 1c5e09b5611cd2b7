/**
 * A terminal for prompt tests: a readable/writable stream that says it is a TTY and records every
 * raw-mode switch, so a test can type into a prompt and check the terminal was left as found.
 */
import { PassThrough } from 'node:stream';

export class FakeTty extends PassThrough {
  isTTY = true;
  rawModes: boolean[] = [];
  setRawMode(mode: boolean): this {
    this.rawModes.push(mode);
    return this;
  }
}
