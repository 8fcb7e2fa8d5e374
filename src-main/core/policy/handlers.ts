/** The policy slice of the API: app types, a session's matrix, loading a policy (file, URL, phone, pasted text) and the list pages it points to. */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { StagedFiles } from '../staged-files.js';
import type { PolicyService } from './policy-service.js';

type PolicyMethods = 'policy.appTypes' | 'policy.view' | 'policy.loadFile' | 'policy.fetch' | 'policy.capture' | 'policy.setAppType' | 'policy.check' | 'policy.paste' | 'policy.captureList';

export function policyHandlers(policy: PolicyService, files: StagedFiles): Pick<Handlers, PolicyMethods> {
  return {
    'policy.appTypes': async () => policy.appTypes(),
    'policy.view': async ({ sessionId }) => policy.view(sessionId),
    'policy.loadFile': async ({ sessionId, fileId }) => ({ seq: await policy.loadFile(sessionId, files.get(fileId)) }),
    'policy.fetch': async ({ sessionId, url }) => ({ seq: await policy.fetchUrl(sessionId, url) }),
    'policy.capture': async ({ sessionId, openLink }) => policy.capture(sessionId, openLink),
    'policy.setAppType': async ({ sessionId, typeNo }) => ({ seq: policy.setAppType(sessionId, typeNo) }),
    'policy.paste': async ({ sessionId, text }) => ({ seq: await policy.paste(sessionId, text) }),
    'policy.captureList': async ({ sessionId, list, source }) => policy.captureList(sessionId, list, source),
    'policy.check': async ({ policyFileId, url, apkFileId, typeNo }) => policy.check({
      policyFile: policyFileId ? files.get(policyFileId) : null, url, apk: apkFileId ? files.get(apkFileId) : null, typeNo,
    }),
  };
}
