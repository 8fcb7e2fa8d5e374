/**
 * The APK slice of the API: analysis of an uploaded or dropped file in a worker. When a session records the
 * analysed app, the analysis goes into it and names the build (APK SHA-256, version) the session tests.
 */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { EventHub } from '../../bridge/event-hub.js';
import { WorkbenchError } from '../errors.js';
import type { SessionManager } from '../session/session-manager.js';
import type { StagedFiles } from '../staged-files.js';
import { analyzeFiles } from './analysis-pool.js';

export function apkHandlers(hub: EventHub, files: StagedFiles, sessions: SessionManager): Pick<Handlers, 'apk.analyze'> {
  return {
    'apk.analyze': async ({ fileId }) => {
      const file = files.get(fileId);
      const [outcome] = await analyzeFiles([file.path], { concurrency: 1, onProgress: (_p, step) => hub.emit('analysis', { fileId, step }) });
      if (!outcome!.ok) throw new WorkbenchError('apk.refused', String(outcome!.error.details.message ?? 'refused'), { message: String(outcome!.error.details.message ?? ''), file: file.fileName });
      const analysis = { ...outcome!.analysis, file: { ...outcome!.analysis.file, name: file.fileName } };
      for (const s of sessions.recordingSessions()) {
        if (s.meta.app.packageName !== analysis.packageName) continue;
        s.capture('apk.analysis', Buffer.from(JSON.stringify(analysis)), 'application/json', file.fileName);
        s.meta.app = { ...s.meta.app, apkSha256: analysis.file.sha256, versionName: analysis.versionName, versionCode: analysis.versionCode };
        s.saveMeta();
      }
      return analysis;
    },
  };
}
