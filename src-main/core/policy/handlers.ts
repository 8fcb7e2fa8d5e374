/** The policy slice of the API: app types, a session's matrix, and loading a policy from a file, a URL or the phone. */
import type { Handlers } from '../../bridge/dispatcher.js';
import type { StagedFiles } from '../staged-files.js';
import type { PolicyService } from './policy-service.js';

type PolicyMethods = 'policy.appTypes' | 'policy.view' | 'policy.loadFile' | 'policy.fetch' | 'policy.capture' | 'policy.setAppType' | 'policy.check';

export function policyHandlers(policy: PolicyService, files: StagedFiles): Pick<Handlers, PolicyMethods> {
  return {
    'policy.appTypes': async () => policy.appTypes(),
    'policy.view': async ({ sessionId }) => policy.view(sessionId),
    'policy.loadFile': async ({ sessionId, fileId }) => ({ seq: await policy.loadFile(sessionId, files.get(fileId)) }),
    'policy.fetch': async ({ sessionId, url }) => ({ seq: await policy.fetchUrl(sessionId, url) }),
    'policy.capture': async ({ sessionId, openLink }) => policy.capture(sessionId, openLink),
    'policy.setAppType': async ({ sessionId, typeNo }) => ({ seq: policy.setAppType(sessionId, typeNo) }),
    'policy.check': async ({ policyFileId, url, apkFileId, typeNo }) => policy.check({
      policyFile: policyFileId ? files.get(policyFileId) : null, url, apk: apkFileId ? files.get(apkFileId) : null, typeNo,
    }),
  };
}
