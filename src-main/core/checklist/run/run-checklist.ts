/**
 * One headless checklist run of one app on one phone: analyse and install the APK (when given), record a
 * session while the stage runner walks the automatable stages, close it, judge it by the template and export
 * one signed package with the findings. A phone lost mid-run keeps the session and exports what it has,
 * marked incomplete; a failed install is recorded and exported the same way.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Finding, Proposal, TemplateSummary } from '../../../../src-preload/checklist.js';
import type { DeviceBridge } from '../../adb/device-bridge.js';
import { DeviceControl } from '../../adb/device-control.js';
import { analyzeFiles } from '../../apk/analysis-pool.js';
import type { ApkAnalysis } from '../../apk/analyze-apk.js';
import { WorkbenchError } from '../../errors.js';
import type { UnlockedIdentity } from '../../evidence/identity-store.js';
import { describePhone } from '../../session/describe-phone.js';
import { HeadlessMonitors } from '../../session/headless-monitors.js';
import { SessionManager } from '../../session/session-manager.js';
import { findingsXlsx, networkEvidence } from '../findings-export.js';
import type { LoadedTemplate } from '../load-template.js';
import { judgeSession } from '../session-findings.js';
import { reportPolicy } from '../../policy/session-comparison.js';
import { StageRunner, type StageOutcome, type StageRunnerOptions, type StageTiming } from './stage-runner.js';
import type { NetworkChoice } from '../../../../src-preload/network-api.js';
import { loadNetworkEngine } from '../../network/default-engine.js';
import type { NetworkEngine } from '../../network/engine.js';
import { NetworkSessions } from '../../network/network-sessions.js';
import type { ScreenStreams } from '../../screen/contracts.js';
import type { SegmentFacts } from '../../screen/segment-writer.js';
import { SessionVideo } from '../../screen/session-video.js';

/** The template a run judges by: from the store (its summary says shipped or saved) or read from a file. */
export type RunTemplate = LoadedTemplate & { summary?: Pick<TemplateSummary, 'origin'> | null };

export interface ChecklistRunRequest {
  bridge: DeviceBridge;
  serial: string;
  /** The APK to analyse and install, or null to test an app already on the phone (`packageName`). */
  apkPath: string | null;
  packageName: string | null;
  template: RunTemplate;
  sessionDir: string;
  out: string;
  identity: UnlockedIdentity;
  timing: StageTiming;
  reboot: boolean;
  /** The explore stage's walk (issue #29); null or absent: the stage is skipped. */
  explore?: StageRunnerOptions['explore'];
  tool: { name: string; version: string };
  tester: string;
  caseRef: string;
  national?: boolean;
  log: (message: string) => void;
  /** Network capture for the run's session (the phone's proxy set up after the session starts, restored at its end). */
  network?: RunNetwork;
  /** The phones' screen streams the run's session records its video from; null or absent: no video. */
  video?: ScreenStreams | null;
}

export interface RunNetwork {
  choice: NetworkChoice;
  /** The data folder (its lease says what to restore if the run is killed). */
  dataDir: string;
  /** Default: the workbench's own; the demo gives the virtual internet as upstream. */
  engine?: () => Promise<NetworkEngine>;
  /** Called with the session CA (PEM) once capture is on and intercepting: the demo installs it on its phone. */
  caReady?: (pem: string) => Promise<void>;
}

export interface ChecklistRunResult {
  package: string;
  sessionDir: string;
  packageName: string;
  serial: string;
  proposals: Proposal[];
  findings: Finding[];
  stages: StageOutcome[];
  incomplete: string | null;
  /** The run ended because the phone went away mid-stage (a farm sends such a job back, even when the phone is back). */
  phoneLeft: boolean;
  /** The screen video's segments written in the session (empty without video). */
  segments: SegmentFacts[];
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function runChecklist(req: ChecklistRunRequest): Promise<ChecklistRunResult> {
  const { bridge, serial, log } = req;
  const control = new DeviceControl(bridge);
  let analysis: ApkAnalysis | null = null;
  if (req.apkPath) {
    log(`analysing ${basename(req.apkPath)}`);
    const [outcome] = await analyzeFiles([req.apkPath]);
    if (!outcome!.ok) throw new WorkbenchError('apk.refused', `${basename(req.apkPath)}: ${outcome!.error.details.message ?? outcome!.error.code}`, { file: basename(req.apkPath) });
    analysis = outcome!.analysis;
  }
  const packageName = analysis?.packageName ?? req.packageName;
  if (!packageName) throw new WorkbenchError('bridge.invalid-arguments', 'A run needs an APK or the package name of an installed app', { field: 'apk', problem: 'missing' });

  const monitors = new HeadlessMonitors(bridge);
  let said = '';
  const network = req.network ? new NetworkSessions({
    dataDir: req.network.dataDir, bridge: () => bridge, engine: req.network.engine ?? loadNetworkEngine,
    session: (id) => manager.get(id), recordingOn: (s) => manager.recordingOn(s),
    onStatus: (st) => {
      const line = `network ${st.state}${st.address ? ` ${st.address}` : ''}${st.problem ? `: ${st.problem}` : ''}`;
      if (line !== said) log(`[${serial}] ${line}`);
      said = line;
    },
  }) : null;
  const streams = req.video ?? null;
  const video = streams ? new SessionVideo(() => streams) : null;
  const manager: SessionManager = new SessionManager({
    root: dirname(req.sessionDir), tool: req.tool, monitors,
    describe: (s, p) => describePhone(bridge, control, s, p),
    onProblem: (_id, err) => log(`the session cannot be written: ${err.message}`),
    recording: [network?.recording, video],
  });
  monitors.manager = manager;
  const info = await manager.start({ serial, packageName, tester: req.tester, caseRef: req.caseRef, dir: req.sessionDir, video: video !== null });
  const session = manager.get(info.id)!;
  if (network && req.network) {
    // A phone that refuses is recorded (net.proxy refused) and the run goes on; a proxy that cannot start is a problem of the session.
    const caReady = req.network.caReady;
    await network.start(info.id, req.network.choice).then(async (status) => {
      if (caReady && status.state === 'on' && status.caSha256) await caReady(network.ca(info.id).pem);
    }).catch((err: unknown) => {
      session.append({ type: 'session.problem', code: 'network-failed', message: err instanceof Error ? err.message : String(err) });
    });
  }
  session.append({ type: 'checklist.template', templateId: req.template.template.id, version: req.template.template.version, origin: req.template.summary?.origin ?? 'file', sha256: req.template.sha256 });

  const stageIds = req.template.template.stages.map((s) => s.id);
  const runner = new StageRunner({ bridge, control, session, serial, packageName, timing: req.timing, reboot: req.reboot, explore: req.explore ?? null, log: (m) => log(`[${serial}] ${m}`), caughtUp: () => monitors.caughtUp(serial) });
  let incomplete: string | null = null;
  const early: StageOutcome[] = [];
  try {
    if (analysis && req.apkPath) {
      if (stageIds.includes('static')) {
        session.append({ type: 'tester.mark', mark: 'stage.started', label: 'static' }, { source: 'workbench' });
        session.capture('apk.analysis', Buffer.from(JSON.stringify(analysis)), 'application/json', basename(req.apkPath));
        early.push({ stage: 'static', outcome: 'done', message: null });
        session.append({ type: 'run.stage', stage: 'static', outcome: 'done', message: null });
      }
      log(`[${serial}] installing ${basename(req.apkPath)}`);
      const result = await control.install(serial, req.apkPath, basename(req.apkPath), () => undefined);
      session.recordInstall(result, await sha256File(req.apkPath), basename(req.apkPath));
      if (!result.ok) incomplete = `the install failed: ${result.failure.code} — ${result.failure.en}`;
    }
    if (!incomplete) {
      await runner.run(stageIds);
      incomplete = runner.incomplete;
    }
  } catch (err) {
    incomplete = `the run stopped: ${err instanceof Error ? err.message : String(err)}`;
    session.append({ type: 'session.problem', code: 'run-failed', message: incomplete });
  }
  if (incomplete) log(`[${serial}] incomplete: ${incomplete}`);
  await manager.close(info.id);

  const judged = judgeSession(req.sessionDir, req.template.template);
  const t = req.template.template;
  const title = `${t.title.zh} — ${packageName} @ ${serial}`;
  log(`[${serial}] exporting ${basename(req.out)}`);
  // The signing code (CMS, SM2, timestamps) loads here, when the recording is done, not at the command's start.
  const { exportPackage } = await import('../../evidence/export-package.js');
  const exported = await exportPackage({
    sessionDir: req.sessionDir, out: req.out, identity: req.identity, national: req.national ?? false, tsaUrl: null, tool: req.tool,
    checklist: { template: { id: t.id, version: t.version, sha256: req.template.sha256, title: t.title }, findings: judged.findings, incomplete, policy: reportPolicy(judged.facts), xlsx: await findingsXlsx(judged.findings, title, networkEvidence(judged.facts.entries)) },
  });
  return { package: exported.path, sessionDir: req.sessionDir, packageName, serial, proposals: judged.proposals, findings: judged.findings, stages: [...early, ...runner.outcomes], incomplete, phoneLeft: runner.phoneLeft, segments: video?.written(info.id) ?? [] };
}
