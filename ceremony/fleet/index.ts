/**
 * The fleet server: answers client handshakes with the validation bundle and a session agreed
 * with a fleet session key held in an HSM, then encrypted calls (docs/session-protocol.md).
 * Node-side (fastify). Re-exports only.
 */
export { startFleetServer } from './server.js';
export type { FleetServer, FleetServerOptions } from './server.js';
export type { FleetServerStats } from './app.js';
export { DEFAULT_LISTEN, parseListen } from './listen.js';
export type { ListenAddress } from './listen.js';
export { resolveServedKey } from './served-key.js';
export type { ServedKey } from './served-key.js';
export { respondToHandshake } from './responder.js';
export type { KeyLogger, ResponderContext } from './responder.js';
export { answerMessage } from './messages.js';
export { SessionStore } from './sessions.js';
export type { Reservation, ServerSession, SessionLimits } from './sessions.js';
export { REFUSAL_STATUS, Refusal } from './errors.js';
export type { FleetSetupErrorCode, RefusalCode } from './errors.js';
