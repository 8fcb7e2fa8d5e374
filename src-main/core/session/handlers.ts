/**
 * The session slice of the API: list, start, pause, resume, close, delete, marks, notes, attachments, the timeline
 * and the first bytes of its blobs.
 */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { StagedFiles } from '../staged-files.js';
import type { SessionManager } from './session-manager.js';

type SessionMethods = 'session.list' | 'session.start' | 'session.pause' | 'session.resume' | 'session.close' | 'session.delete' | 'session.mark' | 'session.note' | 'session.attach' | 'session.timeline' | 'session.blob';

/** `phoneFree` refuses a phone another capability holds (one offered to the farm) before a session starts on it. */
export function sessionHandlers(sessions: SessionManager, files: StagedFiles, phoneFree: (serial: string) => void = () => undefined): Pick<Handlers, SessionMethods> {
  return {
    'session.list': async () => sessions.list(),
    'session.start': async (req) => {
      phoneFree(req.serial);
      return sessions.start(req);
    },
    'session.pause': async ({ id }) => sessions.pause(id),
    'session.resume': async ({ id }) => sessions.resume(id),
    'session.close': async ({ id }) => sessions.close(id),
    'session.delete': async ({ id }) => (await sessions.delete(id), null),
    'session.mark': async ({ id, mark, label }) => ({ seq: await sessions.mark(id, mark, label) }),
    'session.note': async ({ id, text }) => ({ seq: sessions.note(id, text) }),
    'session.attach': async ({ id, fileId }) => sessions.attach(id, files.get(fileId)),
    'session.timeline': async ({ id, afterSeq, limit }) => sessions.timeline(id, afterSeq, limit),
    'session.blob': async ({ id, path, maxBytes }) => {
      const { bytes, size } = sessions.blobHead(id, path, maxBytes);
      return { base64: bytes.toString('base64'), size };
    },
  };
}
