/**
 * Evaluators that hand the tester what the APK analysis found (164-6.3 auto-start capability): always the
 * tester's call. Permissions and SDKs against the policy and the app type are judged in policy.ts.
 */
import { z } from 'zod';
import { defineEvaluator, insufficient, needsTester } from './proposal.js';

function staticReview(name: string, zh: string, en: string) {
  return defineEvaluator({
    name,
    summary: { zh, en },
    params: () => z.object({}).strict(),
    evaluate(f) {
      const analyses = f.events('capture').filter((c) => c.event.kind === 'apk.analysis');
      if (!analyses.length) return insufficient('本会话没有 APK 静态分析结果（在“应用”页分析并记录）。', 'The session holds no APK analysis (analyse the APK on the App page while recording).');
      return needsTester(analyses.map((a) => a.seq), `${zh}：请查看 APK 分析结果并判断。`, `${en}: review the APK analysis and decide.`);
    },
  });
}

export const staticAutostart = staticReview('static-autostart', '开机、网络变化等广播接收器及导出组件（自启动能力，作为风险背景）', 'Receivers for boot, connectivity and similar broadcasts and exported components (auto-start capability, as risk context)');
