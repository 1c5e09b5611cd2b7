/** Node-side durable file writes and the directory lock (DESIGN §6). */
export {
  createDirExclusive,
  fsyncDir,
  operatorError,
  pathExists,
  readIfExists,
  removeStrayTemporaries,
  writeFileAtomic,
  writeFileExclusive,
  writeFileOnce,
} from './durable.js';
export type { OutputErrors } from './durable.js';
export { LOCK_FILE, UNREADABLE_GRACE_MS, acquireLock } from './lock.js';
export { readFileBounded } from './read.js';
export type { BoundedRead } from './read.js';
