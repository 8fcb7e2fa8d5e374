/** Sessions: public surface of src-main/core/session. */
export { SessionManager, recoverSession, type SessionMonitors, type SessionStart } from './session-manager.js';
export { Session, TIMELINE_FILE, RAW_LOG_FILE, lockedByOther } from './session.js';
export { TimelineWriter, FLUSH_MS } from './timeline-writer.js';
export { scanTimeline, lineHash, encodeLine, ZERO_HASH, type TimelineScan, type ChainBreak } from './timeline-chain.js';
export { readSessionMeta, sessionMetaSchema } from './session-meta.js';
export { describePhone } from './describe-phone.js';
