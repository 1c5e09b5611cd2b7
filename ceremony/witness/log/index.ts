/**
 * The witness's audit log (docs/witness-log.md): storage, the log itself, tiles export, and the
 * verifying client and monitor. Re-exports only.
 */
export type {
  LogErrorCode,
  LogMalformedErrorCode,
  LogUsageErrorCode,
  LogVerificationErrorCode,
} from './codes.js';
export type { AppendBatch, LogStorage, StoredCheckpoint, StoredEntry } from './storage.js';
export { SqliteLogStorage } from './sqlite-storage.js';
export { APPLICATION_ID, SCHEMA_VERSION } from './sqlite-schema.js';
export { WitnessLog } from './witness-log.js';
export { MAX_APPEND_BATCH } from './witness-log-options.js';
export type { AppendResult, WitnessLogOptions } from './witness-log-options.js';
export type { RecoveryMode } from './recover.js';
export { CHECKPOINT_PATH, readEntriesTile, readTile, readTileResource } from './log-tiles.js';
export { exportTiles } from './export-tiles.js';
export type { ExportTilesResult } from './export-tiles.js';
export { httpLogSource } from './client-source.js';
export type { HttpLogSourceOptions, LogSource } from './client-source.js';
export { dirLogSource, openLogSource } from './client-dir.js';
export { LogClient } from './client.js';
export type { VerifiedCheckpoint } from './client.js';
export { SplitViewError, monitorLog } from './monitor.js';
export type { MonitorResult } from './monitor.js';
export { MONITOR_STATE_FORMAT, readMonitorState, writeMonitorState } from './monitor-state.js';
export type { MonitorState } from './monitor-state.js';
