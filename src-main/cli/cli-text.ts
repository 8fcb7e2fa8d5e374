/**
 * Every sentence the CLI's commands print, in English and Chinese (cli-language.ts picks one). Each entry builds
 * both with `tty`, so every value it puts in — a path, a package, a serial, a phone's or a policy's words — is
 * guarded for the terminal in either language. The words of errors are the core's (core/i18n/error-text.ts):
 * a parameter named `words` is such a sentence, already guarded by cli-errors.ts, and is put in as it is.
 */
import { bi, type Bilingual } from '../core/bilingual.js';
import { own, tty } from './terminal-guard.js';

type Pair = Bilingual;

export const USAGE: Pair = bi(`apprights — AppRights Workbench (App用户权益检测工作台) command line

Usage:
  apprights serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--allow-local]
                                                                    browser mode: prints the URL to open; --allow-local lets
                                                                    policy pages and the TSA be on local or private addresses
  apprights devices [--json]                                        list devices the adb server sees
  apprights virtual-device [--scenario NAME|FILE] [--profile ROM] [--port N] [--connect] [--auth]
                                                                    start the virtual phone (Ctrl-C stops it); ROM: how it names
                                                                    itself and logs (virtual, aosp14, miui, emui, coloros)
  apprights scenarios [--json]                                      list the shipped demo scenarios
  apprights analyze <apk|dir>... [--json] [--concurrency N] [--timeout-ms N]
                                                                    static analysis: permissions, SDKs, signatures verified
  apprights analyze <dir>... --out results.jsonl [--csv results.csv] [--resume] [--json]
                                                                    batch triage: a line per APK as it finishes, progress,
                                                                    --resume skips what results.jsonl holds, a summary at the end
  apprights monitor --serial S [--package P] [--json] [--raw-log FILE] [NETWORK]
                                                                    stream a phone's events until Ctrl-C
  apprights monitor --replay LOG_FILE [--dumps DIR] [--package P] [--json] [--year Y] [--utc-offset +08:00]
                                                                    extract events from logs captured elsewhere: any logcat
                                                                    format (threadtime, time, brief, long, Studio, MatLog…),
                                                                    UTF-8/UTF-16, an adb bugreport (.txt or .zip)
  apprights sessions [--json] [--data-dir DIR]                      list recorded sessions
  apprights record --serial S --package P --session-dir D [--duration SECONDS] [--launch] [--tester NAME] [--case REF]
               [NETWORK] [--no-video]                               record a session headless (Ctrl-C or the duration ends it)
  apprights export D --out pkg.zip [--force] [--passphrase-file F] [--national] [--compress] [--tsa URL [--allow-local]] [--p12 F --p12-password-file F]
               [--tester NAME] [--reviewer NAME] [--no-video]
                                                                    signed evidence package of session directory D
                                                                    (--no-video: without the screen recording's segments)
  apprights verify pkg.zip [--ca root.pem] [--tsa-ca tsa.pem] [--json]
                                                                    check an evidence package; exit 1 on any failure
  apprights report-pdf pkg.zip --out report.pdf [--chromium PATH] [--force]
                                                                    the package's report as PDF (verified first), printed by
                                                                    the Chromium, Chrome or Edge found here
  apprights demo --scenario NAME|FILE --out pkg.zip [--force] [--profile ROM] [--fast] [--json] [--template ID|FILE]
               [NETWORK | --no-network] [--no-video] [EXPLORE]      a virtual phone plays the scenario; the checklist run judges it
                                                                    (network capture is on when the scenario's apps talk)
  apprights run (--serial S | --connect HOST:PORT)... (--apk A | --package P)... --out DIR [--template ID|FILE]
               [--reboot] [--dwell SECONDS] [--json] [--passphrase-file F] [NETWORK] [--no-video] [EXPLORE]
                                                                    the automatable checklist stages on each phone, in parallel;
                                                                    one signed package per app and phone (exit 3: incomplete)
  apprights farm add --redis URL --store DIR (APK|DIR)... [--check] [--package P]... [--template ID] [--priority N]
               [--attempts N]                                       queue analyze jobs (or, with --check, checklist runs) on a
                                                                    lab's Redis; the same APK and template twice is one job
  apprights farm worker --redis URL --store DIR [--phones all|S,...] [--connect HOST:PORT]... [--concurrency N]
               [--out DIR] [--passphrase-file F] [--dwell SECONDS]  run the farm's jobs here: analyses on the cores, checks one
                                                                    per phone held (Ctrl-C stops it)
  apprights farm status --redis URL [--json]                        workers with their phones; queued, running (worker, phone),
                                                                    done, failed with reasons, throughput, ETA
  apprights farm results --redis URL --out results.jsonl [--csv F] [--force]
                                                                    every job's one result, as analyze --out writes them
  apprights farm retry|cancel --redis URL JOB_ID...                 run a failed job again; remove a job that has not started
                                                                    (every farm command takes --farm NAME: farms sharing a Redis)
  apprights templates [--json]                                      checklist templates (shipped and saved)
  apprights policy check --policy FILE|URL [--apk A] [--session DIR] [--type NAME] [--json] [--allow-local]
                                                                    the privacy policy against the APK, a session and the app
                                                                    type's necessary personal information (14号文, 1-39)
  apprights network clear-stale [--serial S] [--data-dir DIR]      put back a phone a killed workbench left pointing at its proxy
  apprights --version | --help

NETWORK: --network [usb|wifi] [--intercept] [--lan-address A] [--value KIND=VALUE]...
  what leaves the phone, through a proxy of the workbench: usb (adb reverse, the default) or wifi (the phone
  must reach this computer's LAN address); --intercept decrypts TLS where the app trusts the session CA;
  --value adds a value to look for (phone-number=…, oaid=…). The phone's proxy setting is put back at the end.

EXPLORE: --explore [--explore-taps N] [--explore-depth N] [--explore-minutes M]
  the explore stage: from the app's main screen the workbench taps through its menus (never pay, delete, post
  or log out) to find the privacy policy, account deletion, complaints, consent withdrawal and the
  personalisation switch; each path, with a screenshot per screen, goes to the package (default 300 taps,
  depth 6, 10 minutes).

record, run and demo record the phone's screen as video (MP4 segments in the session's video/ folder, each
hashed into the timeline); --no-video leaves it out.

Every command takes --lang zh-CN|en (otherwise LC_ALL, LC_MESSAGES or LANG decides); --out never replaces an
existing file unless --force is given.
`, `apprights — App用户权益检测工作台（AppRights Workbench）命令行

用法：
  apprights serve [--port N] [--host 127.0.0.1] [--data-dir DIR] [--allow-local]
                                                                    浏览器模式：打印要打开的网址；--allow-local 允许隐私政策
                                                                    页面和时间戳服务位于本机或内网地址
  apprights devices [--json]                                        列出 adb 服务看到的设备
  apprights virtual-device [--scenario NAME|FILE] [--profile ROM] [--port N] [--connect] [--auth]
                                                                    启动虚拟手机（Ctrl-C 停止）；ROM：其自称与日志的样式
                                                                    （virtual、aosp14、miui、emui、coloros）
  apprights scenarios [--json]                                      列出自带的演示场景
  apprights analyze <apk|dir>... [--json] [--concurrency N] [--timeout-ms N]
                                                                    静态分析：权限、SDK、签名校验
  apprights analyze <dir>... --out results.jsonl [--csv results.csv] [--resume] [--json]
                                                                    批量筛查：每个 APK 完成即写一行，显示进度，--resume 跳过
                                                                    results.jsonl 中已有的，最后给出汇总
  apprights monitor --serial S [--package P] [--json] [--raw-log FILE] [NETWORK]
                                                                    持续输出手机事件，直到 Ctrl-C
  apprights monitor --replay LOG_FILE [--dumps DIR] [--package P] [--json] [--year Y] [--utc-offset +08:00]
                                                                    从别处采集的日志中提取事件：任意 logcat 格式（threadtime、
                                                                    time、brief、long、Studio、MatLog…）、UTF-8/UTF-16、
                                                                    adb bugreport（.txt 或 .zip）
  apprights sessions [--json] [--data-dir DIR]                      列出已录制的会话
  apprights record --serial S --package P --session-dir D [--duration SECONDS] [--launch] [--tester NAME] [--case REF]
               [NETWORK] [--no-video]                               无界面录制会话（Ctrl-C 或到达时长即结束）
  apprights export D --out pkg.zip [--force] [--passphrase-file F] [--national] [--compress] [--tsa URL [--allow-local]] [--p12 F --p12-password-file F]
               [--tester NAME] [--reviewer NAME] [--no-video]
                                                                    将会话目录 D 导出为签名证据包
                                                                    （--no-video：不含录屏分段）
  apprights verify pkg.zip [--ca root.pem] [--tsa-ca tsa.pem] [--json]
                                                                    校验证据包；任一检查失败则退出码为 1
  apprights report-pdf pkg.zip --out report.pdf [--chromium PATH] [--force]
                                                                    先校验证据包，再用本机的 Chromium、Chrome 或 Edge
                                                                    将其报告打印为 PDF
  apprights demo --scenario NAME|FILE --out pkg.zip [--force] [--profile ROM] [--fast] [--json] [--template ID|FILE]
               [NETWORK | --no-network] [--no-video] [EXPLORE]      虚拟手机演示场景，由检测流程给出判定
                                                                    （场景中的应用联网时自动开启网络捕获）
  apprights run (--serial S | --connect HOST:PORT)... (--apk A | --package P)... --out DIR [--template ID|FILE]
               [--reboot] [--dwell SECONDS] [--json] [--passphrase-file F] [NETWORK] [--no-video] [EXPLORE]
                                                                    在每台手机上并行执行可自动化的检测阶段；每个应用、每台手机
                                                                    一个签名证据包（退出码 3：未完成）
  apprights farm add --redis URL --store DIR (APK|目录)... [--check] [--package P]... [--template ID] [--priority N]
               [--attempts N]                                       把分析任务（加 --check 则为检测清单运行）排入实验室的 Redis；
                                                                    同一 APK 与模板加两次仍是一个任务
  apprights farm worker --redis URL --store DIR [--phones all|S,...] [--connect 主机:端口]... [--concurrency N]
               [--out DIR] [--passphrase-file F] [--dwell 秒]       在本机执行农场任务：分析用 CPU 核，检测每台手机一次一个（Ctrl-C 停止）
  apprights farm status --redis URL [--json]                        工作进程及其手机；排队、运行中（工作进程、手机）、完成、失败及原因、
                                                                    吞吐量、预计剩余时间
  apprights farm results --redis URL --out results.jsonl [--csv F] [--force]
                                                                    每个任务唯一的结果，格式同 analyze --out
  apprights farm retry|cancel --redis URL 任务ID...                 重新执行失败的任务；移除尚未开始的任务
                                                                    （所有 farm 命令都可加 --farm 名称：多个农场共用一个 Redis）
  apprights templates [--json]                                      检测模板（自带及已保存）
  apprights policy check --policy FILE|URL [--apk A] [--session DIR] [--type NAME] [--json] [--allow-local]
                                                                    将隐私政策与 APK、会话及该类应用的必要个人信息
                                                                    （14号文，1-39 类）对照
  apprights network clear-stale [--serial S] [--data-dir DIR]      恢复被已终止的工作台留在其代理上的手机
  apprights --version | --help

NETWORK：--network [usb|wifi] [--intercept] [--lan-address A] [--value 类型=值]...
  通过工作台的代理查看手机发出了什么：usb（adb reverse，默认）或 wifi（手机须能访问本机的局域网地址）；
  --intercept 在应用信任会话 CA 时解密 TLS；--value 添加要查找的值（phone-number=…、oaid=…）。
  结束时手机的代理设置会恢复原样。

EXPLORE：--explore [--explore-taps N] [--explore-depth N] [--explore-minutes M]
  探索阶段：工作台从应用主界面出发逐层点击菜单（不点击支付、删除、发布、退出登录），查找隐私政策、注销账号、
  投诉渠道、撤回同意和个性化推荐开关；每条路径及每个界面的截图都写入证据包（默认 300 次点击、深度 6、
  10 分钟）。

record、run 和 demo 会把手机屏幕录制为视频（会话 video/ 文件夹中的 MP4 分段，每段的哈希写入时间线）；
--no-video 不录制视频。

所有命令都接受 --lang zh-CN|en（否则由 LC_ALL、LC_MESSAGES 或 LANG 决定）；除非给出 --force，--out 不会覆盖已有文件。
`);

/** The farm's queue kinds as a Chinese line names them. */
const KIND_ZH: Record<string, string> = { analyze: '分析', check: '检测' };

export const text = {
  // The dispatcher (index.ts), options and inputs every command shares.
  unknownCommand: (command: string): Pair => bi(tty`unknown command "${command}" (see apprights --help)`, tty`未知命令“${command}”（见 apprights --help）`),
  badLanguage: (value: string): Pair => bi(tty`--lang must be zh-CN or en, not "${value.slice(0, 40)}"`, tty`--lang 只能是 zh-CN 或 en，而不是“${value.slice(0, 40)}”`),
  unknownOption: (option: string): Pair => bi(tty`unknown option ${option} (see apprights --help)`, tty`未知选项 ${option}（见 apprights --help）`),
  missingValue: (option: string): Pair => bi(tty`${option} needs a value (see apprights --help)`, tty`${option} 需要一个值（见 apprights --help）`),
  ambiguousValue: (option: string): Pair => bi(tty`the value of ${option} starts with "-": write it as ${option}=VALUE (see apprights --help)`, tty`${option} 的值以“-”开头：请写成 ${option}=值（见 apprights --help）`),
  unexpectedArgument: (arg: string): Pair => bi(tty`unexpected argument "${arg}": this command takes none (see apprights --help)`, tty`多余的参数“${arg}”：此命令不接受位置参数（见 apprights --help）`),
  badArguments: (message: string): Pair => bi(tty`${message} (see apprights --help)`, tty`参数有误：${message}（见 apprights --help）`),
  wholeNumber: (name: string, min: number, max: number, value: string): Pair => bi(tty`${name} must be a whole number from ${min} to ${max}, not "${value.slice(0, 40)}"`, tty`${name} 必须是 ${min} 到 ${max} 之间的整数，而不是“${value.slice(0, 40)}”`),
  reportPdfNeeds: bi('report-pdf needs one package and --out: apprights report-pdf pkg.zip --out report.pdf', 'report-pdf 需要一个证据包和 --out：apprights report-pdf pkg.zip --out report.pdf'),
  noSuchPackage: (path: string): Pair => bi(tty`no such package: ${path}`, tty`找不到证据包：${path}`),
  reportPdfMade: (number: string | null, bytes: number): Pair => number
    ? bi(tty`Report ${number}: ${String(bytes)} bytes of PDF`, tty`报告 ${number}：已生成 PDF，${String(bytes)} 字节`)
    : bi(tty`A report from before report numbers: ${String(bytes)} bytes of PDF`, tty`报告（生成于启用报告编号之前）：已生成 PDF，${String(bytes)} 字节`),
  outExists: (path: string): Pair => bi(tty`${path} already exists; nothing was replaced. Choose another --out, or add --force to replace it`, tty`${path} 已存在，未作任何覆盖。请换一个 --out，或加上 --force 以覆盖它`),
  passphraseFileUnreadable: (file: string): Pair => bi(tty`cannot read the passphrase file ${file}`, tty`无法读取口令文件 ${file}`),
  noPassphrase: bi('no passphrase: give --passphrase-file F (the key is encrypted with it)', '没有口令：请用 --passphrase-file F 给出（签名密钥以它加密）'),
  passphrasePrompt: bi('Passphrase of the signing key: ', '签名密钥口令：'),
  noSuchFile: (file: string): Pair => bi(tty`no such file: ${file}`, tty`没有这个文件：${file}`),
  notSessionDir: (dir: string): Pair => bi(tty`${dir} is not a session directory (no session.json)`, tty`${dir} 不是会话目录（没有 session.json）`),
  sessionUnwritable: (message: string): Pair => bi(tty`apprights: the session cannot be written: ${message}`, tty`apprights：会话无法写入：${message}`),

  // demo, run (checklist-commands.ts)
  demoNeedsScenario: bi('demo needs --scenario NAME|FILE (see `apprights scenarios`)', 'demo 需要 --scenario 场景名|文件（见 `apprights scenarios`）'),
  demoNeedsOut: bi('demo needs --out pkg.zip', 'demo 需要 --out pkg.zip'),
  playingLive: (id: string, minutes: number): Pair => bi(tty`Playing "${id}" in real time (about ${minutes} minutes); --fast runs it in seconds.`, tty`正在按真实时间演示“${id}”（约 ${minutes} 分钟）；--fast 可在数秒内完成。`),
  demoDone: (seconds: string, declared: string[]): Pair => bi(
    tty`Done in ${own(seconds)} s. Declared by the scenario: ${declared.join(', ') || 'none (compliant)'}`,
    tty`完成，用时 ${own(seconds)} 秒。场景声明的违规项：${declared.join('、') || '无（合规）'}`),
  runSummary: (pkg: string, serial: string, violations: number, incomplete: string | null): Pair => bi(
    tty`${pkg} on ${serial}: ${violations} proposed violations${own(incomplete ? tty` — INCOMPLETE: ${incomplete}` : '')}`,
    tty`${pkg}（${serial}）：建议判定疑似违规 ${violations} 项${own(incomplete ? tty`——未完成：${incomplete}` : '')}`),
  evidenceRefs: (ids: number[]): Pair => {
    const list = `${ids.slice(0, 12).join(' ')}${ids.length > 12 ? ' …' : ''}`;
    return bi(` [events ${list}]`, ` [事件 ${list}]`);
  },
  runNeedsApp: bi('run needs --apk A (repeatable), or --package P for an app already installed', 'run 需要 --apk A（可重复），或用 --package P 指定已安装的应用'),
  runNeedsOut: bi('run needs --out DIR (one package per app and phone goes there)', 'run 需要 --out DIR（每个应用、每台手机的证据包都放在那里）'),
  noSuchApk: (apk: string): Pair => bi(tty`no such APK: ${apk}`, tty`没有这个 APK：${apk}`),
  dwellRange: bi('--dwell must be seconds from 1 to 3600', '--dwell 必须是 1 到 3600 之间的秒数'),
  connectForm: (target: string): Pair => bi(tty`--connect wants HOST:PORT, not "${target.slice(0, 60)}"`, tty`--connect 应为 主机:端口，而不是“${target.slice(0, 60)}”`),
  cannotConnect: (target: string, words: string): Pair => bi(tty`cannot connect to ${target}: ${own(words)}`, tty`无法连接 ${target}：${own(words)}`),
  runNeedsSerial: bi('run needs --serial S (see `apprights devices`) or --connect HOST:PORT', 'run 需要 --serial S（见 `apprights devices`）或 --connect 主机:端口'),
  noPhone: (serial: string): Pair => bi(tty`no phone ${serial}; \`apprights devices\` lists the ones the adb server sees`, tty`没有手机 ${serial}；\`apprights devices\` 列出 adb 服务看到的手机`),
  phoneNotReady: (serial: string, state: string): Pair => bi(tty`${serial} is ${state}: unlock it and accept the USB debugging prompt`, tty`${serial} 的状态为 ${state}：请解锁手机并接受 USB 调试授权提示`),
  runFailed: (name: string, words: string): Pair => bi(tty`apprights: ${name} failed: ${own(words)}`, tty`apprights：${name} 失败：${own(words)}`),

  // sessions, record, export (evidence-commands.ts)
  stoppedByCtrlC: bi('interrupted (Ctrl-C)', '已中断（Ctrl-C）'),
  stoppedBySignal: bi('terminated', '已终止'),
  stoppedByDuration: bi('duration reached', '已到达时长'),
  noSessions: (dir: string): Pair => bi(tty`No sessions in ${dir}.`, tty`${dir} 中没有会话。`),
  sessionProblem: (id: string, problem: string): Pair => bi(tty`${id}  PROBLEM: ${problem}`, tty`${id}  问题：${problem}`),
  sessionTail: (tester: string, minutes: number, events: number, copyOf: string | undefined | null): Pair => bi(
    tty`${tester}  ${minutes} min  ${events} events${own(copyOf ? tty`  (a copy of ${copyOf})` : '')}`,
    tty`${tester}  ${minutes} 分钟  ${events} 个事件${own(copyOf ? tty`（复制自 ${copyOf}）` : '')}`),
  recordNeedsSerial: bi('record needs --serial S (see `apprights devices`)', 'record 需要 --serial S（见 `apprights devices`）'),
  recordNeedsPackage: bi('record needs --package P (the app under test)', 'record 需要 --package P（被测应用）'),
  recordNeedsDir: bi('record needs --session-dir D (where the session is kept)', 'record 需要 --session-dir D（会话保存的位置）'),
  durationRange: bi('--duration must be a number of seconds (1 to 604800)', '--duration 必须是秒数（1 到 604800）'),
  otherSession: (dir: string, pkg: string, serial: string): Pair => bi(tty`${dir} holds a session of ${pkg} on ${serial}; use another --session-dir`, tty`${dir} 中是 ${pkg}（${serial}）的会话；请换一个 --session-dir`),
  resumed: (id: string, dir: string): Pair => bi(tty`Resumed session ${id} in ${dir}`, tty`已在 ${dir} 中继续会话 ${id}`),
  recording: (id: string, dir: string, serial: string, pkg: string): Pair => bi(tty`Recording session ${id} in ${dir} (${serial}, ${pkg}). Ctrl-C stops.`, tty`正在 ${dir} 中录制会话 ${id}（${serial}，${pkg}）。按 Ctrl-C 停止。`),
  videoSegment: (file: string, seconds: string, frames: number, width: number, height: number, partial: boolean): Pair => bi(
    tty`  video ${file}: ${seconds} s, ${frames} frames, ${width}×${height}${partial ? ' (partial)' : ''}`,
    tty`  视频 ${file}：${seconds} 秒，${frames} 帧，${width}×${height}${partial ? '（不完整）' : ''}`,
  ),
  videoNone: (off: boolean): Pair => off
    ? bi('No screen video (--no-video).', '未录制屏幕视频（--no-video）。')
    : bi('No screen video was written (the phone gave no H.264 screen stream; see the timeline\'s screen events).', '未写入屏幕视频（手机未提供 H.264 屏幕流；见时间线中的 screen 事件）。'),
  sessionClosed: (why: string, events: number, head: string): Pair => bi(tty`Session closed (${own(why)}): ${events} events, timeline head ${head}`, tty`会话已关闭（${own(why)}）：${events} 个事件，时间线末端哈希 ${head}`),
  exportNeedsDir: bi('export needs one session directory: apprights export D --out pkg.zip', 'export 需要一个会话目录：apprights export D --out pkg.zip'),
  exportNeedsOut: bi('export needs --out pkg.zip', 'export 需要 --out pkg.zip'),
  recovered: (tornBytes: number, tornFile: string | null): Pair => bi(
    tty`The session was left recording by a process that stopped; recovered${own(tornBytes ? tty` (a torn last line of ${tornBytes} bytes set aside in ${tornFile})` : '')}.`,
    tty`该会话由一个已停止的进程留在录制状态，现已恢复${own(tornBytes ? tty`（写了一半的最后一行共 ${tornBytes} 字节，另存于 ${tornFile}）` : '')}。`),
  imported: (subject: string, fingerprint: string): Pair => bi(tty`Imported ${subject} (SHA-256 ${fingerprint})`, tty`已导入 ${subject}（SHA-256 ${fingerprint}）`),
  createdIdentity: (subject: string, fingerprint: string): Pair => bi(
    tty`Created a self-signed (self-asserted) signing identity: ${subject}\n  certificate SHA-256 ${fingerprint}`,
    tty`已创建自签名（自我声明）的签名身份：${subject}\n  证书 SHA-256 ${fingerprint}`),
  exportProgress: (phase: string, done: string, total: string): Pair => bi(tty`\r${phase} ${own(done)}/${own(total)} MiB   `, tty`\r${phase} ${own(done)}/${own(total)} MiB   `),
  warning: (w: string): Pair => bi(tty`warning: ${w}`, tty`注意：${w}`),
  signed: (subject: string, selfSigned: boolean, sha: string, timestamped: boolean): Pair => bi(
    tty`Signed by ${subject}${own(selfSigned ? ' (self-asserted)' : '')}; manifest SHA-256 ${sha}${own(timestamped ? '; timestamped' : '')}`,
    tty`签名者 ${subject}${own(selfSigned ? '（自我声明）' : '')}；清单 SHA-256 ${sha}${own(timestamped ? '；已加盖时间戳' : '')}`),

  // verify
  verifyNeedsOne: bi('verify needs one package: apprights verify pkg.zip [--ca root.pem]', 'verify 需要一个证据包：apprights verify pkg.zip [--ca root.pem]'),
  noPem: (file: string): Pair => bi(tty`${file} holds no PEM certificate`, tty`${file} 中没有 PEM 证书`),

  // analyze
  noSuchInput: (input: string): Pair => bi(tty`no such file or folder: ${input}`, tty`没有这个文件或文件夹：${input}`),
  analyzeNeedsInput: bi('analyze needs at least one APK file or folder', 'analyze 至少需要一个 APK 文件或文件夹'),
  batchOptions: bi('--csv and --resume belong to a batch: add --out results.jsonl', '--csv 和 --resume 用于批量筛查：请加上 --out results.jsonl'),
  noApks: bi('no .apk files found', '没有找到 .apk 文件'),
  analysed: (done: number, total: number): Pair => bi(tty`\ranalysed ${done}/${total}`, tty`\r已分析 ${done}/${total}`),
  apkRefused: (path: string, why: string): Pair => bi(tty`apprights: refused ${path}: ${why}`, tty`apprights：已拒绝 ${path}：${why}`),
  apkHead: (file: string, pkg: string, version: string, code: string, label: string, minSdk: unknown, targetSdk: unknown, ms: number): Pair => bi(
    tty`${file}  ${pkg} ${version} (${code})  label: ${label}  sdk ${minSdk}→${targetSdk}  ${ms} ms`,
    tty`${file}  ${pkg} ${version}（${code}）  名称：${label}  sdk ${minSdk}→${targetSdk}  ${ms} 毫秒`),
  apkPermissions: (count: number, dangerous: string[]): Pair => bi(
    tty`  permissions: ${count} (${dangerous.join(', ') || own('no dangerous ones')})`,
    tty`  权限：${count} 项（${dangerous.join('、') || own('无危险权限')}）`),
  apkSdks: (sdks: string[]): Pair => bi(tty`  SDKs: ${sdks.join(', ') || own('none found')}`, tty`  SDK：${sdks.join('、') || own('未发现')}`),
  apkSigning: (verified: boolean, schemes: string, certificates: string): Pair => bi(
    tty`  signing: ${own(verified ? 'verifies' : 'DOES NOT VERIFY')} (${schemes || own('unsigned')}); ${certificates}`,
    tty`  签名：${own(verified ? '校验通过' : '校验不通过')}（${schemes || own('未签名')}）；${certificates}`),
  apkRisks: (risks: string[]): Pair => bi(tty`  risks: ${risks.join(', ') || own('none')}`, tty`  风险：${risks.join('、') || own('无')}`),
  resultsCutShort: bi('The last line of the results was cut short (a crash?); that APK is analysed again.', '结果的最后一行不完整（可能曾崩溃）；该 APK 将重新分析。'),
  resultsUnreadable: (lines: number, out: string): Pair => bi(tty`${lines} line(s) of ${out} could not be read; they are kept, and their APKs analysed again.`, tty`${out} 中有 ${lines} 行无法读取；这些行予以保留，对应的 APK 将重新分析。`),
  resuming: (done: number, all: number, out: string, left: number): Pair => bi(tty`Resuming: ${done} of ${all} APKs already in ${out}; ${left} to go.`, tty`继续：${all} 个 APK 中已有 ${done} 个在 ${out} 中；还剩 ${left} 个。`),
  batchStopped: (done: number, total: number, out: string): Pair => bi(
    tty`Stopped after ${done} of ${total}; the results so far are in ${out}. Continue with the same command and --resume.`,
    tty`已在 ${total} 个中的第 ${done} 个后停止；已有结果在 ${out} 中。用同一命令加 --resume 继续。`),
  batchDone: (done: number, duration: string, rate: string, out: string, csv: string | null): Pair => bi(
    tty`${done} APKs in ${own(duration)} (${own(rate)} APK/s). Results: ${out}${own(csv ? tty`, ${csv}` : '')}`,
    tty`${done} 个 APK，用时 ${own(duration)}（每秒 ${own(rate)} 个）。结果：${out}${own(csv ? tty`、${csv}` : '')}`),

  // monitor
  badUtcOffset: (value: string): Pair => bi(tty`--utc-offset must look like +08:00, not ${value}`, tty`--utc-offset 应形如 +08:00，而不是 ${value}`),
  unreadableLog: (file: string, words: string): Pair => bi(tty`${file}: ${own(words)}`, tty`${file}：${own(words)}`),
  monitorNeedsSerial: bi('monitor needs --serial S (see `apprights devices`) or --replay FILE', 'monitor 需要 --serial S（见 `apprights devices`）或 --replay 文件'),
  replayTimes: (zone: string, assumed: boolean): Pair => bi(
    `Times are the phone's clock, UTC${zone}${assumed ? ' (assumed: see below)' : ''}`,
    `时间为手机时钟，UTC${zone}${assumed ? '（推定，见下文）' : ''}`),
  monitoring: (serial: string, pkg: string | null, rawLog: string): Pair => bi(
    tty`Monitoring ${serial}${own(pkg ? tty` (${pkg})` : '')}; raw log: ${rawLog}. Times are in UTC. Ctrl-C stops.`,
    tty`正在监控 ${serial}${own(pkg ? tty`（${pkg}）` : '')}；原始日志：${rawLog}。时间为 UTC。按 Ctrl-C 停止。`),
  monitorStats: (lines: number, events: number, reconnects: number): Pair => bi(tty`${lines} lines, ${events} events, ${reconnects} reconnects`, tty`${lines} 行，${events} 个事件，重连 ${reconnects} 次`),

  // policy check
  policyUsage: bi('usage: apprights policy check --policy FILE|URL [--list FILE|URL]... [--apk A] [--session DIR] [--type NAME] [--json] [--allow-local]', '用法：apprights policy check --policy 文件|网址 [--list 文件|网址]... [--apk A] [--session DIR] [--type 类型] [--json] [--allow-local]'),
  policyNeedsSource: bi('policy check needs --policy FILE or URL', 'policy check 需要 --policy 文件或网址'),
  noPolicyFile: (path: string): Pair => bi(tty`no policy file at ${path}`, tty`${path} 处没有隐私政策文件`),
  policyTooLarge: (file: string, mib: string, max: number): Pair => bi(tty`${file} is ${own(mib)} MiB; a privacy policy larger than ${max} MiB is refused`, tty`${file} 有 ${own(mib)} MiB；超过 ${max} MiB 的隐私政策不予读取`),
  unknownAppType: (value: string, types: string): Pair => bi(
    tty`unknown app type "${value.slice(0, 60)}"; give its number (1-39) or name, e.g. 38 or 实用工具类. Types: ${types}`,
    tty`未知的应用类型“${value.slice(0, 60)}”；请给出编号（1-39）或名称，如 38 或 实用工具类。类型：${types}`),
  tooManyLists: (max: number): Pair => bi(`at most ${max} --list pages are read with one policy`, `一份政策最多同时读取 ${max} 个 --list 页面`),
  policyTooLong: (chars: number, max: number): Pair => bi(
    `the policy and its list pages have ${chars.toLocaleString('en')} characters; more than ${max.toLocaleString('en')} is refused`,
    `政策及其清单页面共 ${chars.toLocaleString('en')} 个字符；超过 ${max.toLocaleString('en')} 个不予读取`),
  policyApkRefused: (why: string): Pair => bi(tty`the APK was refused: ${why}`, tty`APK 被拒绝：${why}`),

  // network capture (--network on monitor, record, run, demo; apprights network)
  networkMode: (value: string): Pair => bi(tty`--network takes usb or wifi, not "${value.slice(0, 40)}"`, tty`--network 只能是 usb 或 wifi，而不是“${value.slice(0, 40)}”`),
  networkOptionsAlone: bi('--intercept, --lan-address and --value go with --network [usb|wifi]', '--intercept、--lan-address 和 --value 需与 --network [usb|wifi] 一起使用'),
  lanAddressForm: (value: string): Pair => bi(tty`--lan-address takes this computer's IPv4 address, with --network wifi (not "${value.slice(0, 60)}")`, tty`--lan-address 应为本机的 IPv4 地址，且需配合 --network wifi（而不是“${value.slice(0, 60)}”）`),
  valueForm: (value: string, kinds: string): Pair => bi(tty`--value takes KIND=VALUE (at least 4 characters), e.g. phone-number=13800138000; kinds: ${kinds} (not "${value}")`, tty`--value 应写成 类型=值（至少 4 个字符），如 phone-number=13800138000；类型：${kinds}（而不是“${value}”）`),
  networkNotOnReplay: bi('--network watches a phone live; it does not go with --replay', '--network 用于实时监控手机，不能与 --replay 一起使用'),
  networkBoth: bi('--network and --no-network cannot go together', '--network 与 --no-network 不能同时使用'),
  networkNotStarted: (words: string): Pair => bi(tty`Network capture did not start: ${own(words)}. The session records without it.`, tty`网络捕获未能启动：${own(words)}。会话继续录制，但不捕获网络。`),
  networkStarting: (serial: string): Pair => bi(tty`Network capture on ${serial}: starting the proxy…`, tty`${serial} 的网络捕获：正在启动代理…`),
  networkOn: (serial: string, address: string, mode: string, previous: string | null, ca: string | null): Pair => bi(
    tty`Network capture on ${serial}: the phone's proxy is ${address} (${mode}); it had ${own(previous === null ? 'none' : tty`${previous}`)} and gets it back at the end.${own(ca ? tty` Session CA SHA-256 ${ca}.` : '')}`,
    tty`${serial} 的网络捕获：手机代理已设为 ${address}（${mode}）；原设置为${own(previous === null ? '空' : tty` ${previous}`)}，结束时恢复。${own(ca ? tty`会话 CA 的 SHA-256：${ca}。` : '')}`),
  networkRefused: (serial: string, problem: string): Pair => bi(
    tty`Network capture on ${serial} was refused by the phone (${problem}); the session keeps recording without it.`,
    tty`手机拒绝了 ${serial} 的网络捕获（${problem}）；会话继续录制，但不捕获网络。`),
  networkAway: (serial: string): Pair => bi(tty`${serial} is away: its proxy setting is put back in order when it returns.`, tty`${serial} 已断开：重新连接后将恢复其代理设置。`),
  networkOff: (serial: string, previous: string | null, connections: number, pi: number): Pair => bi(
    tty`Network capture on ${serial} stopped: ${connections} connections, ${pi} personal values found in transit; the phone's proxy is back to ${own(previous === null ? 'none' : tty`${previous}`)}.`,
    tty`${serial} 的网络捕获已停止：${connections} 个连接，发现 ${pi} 处个人信息外传；手机代理已恢复为${own(previous === null ? '空' : tty` ${previous}`)}。`),
  staleProxy: (serial: string, current: string | null, restore: string | null, pid: number | null, connected: boolean): Pair => bi(
    tty`${serial} points at a proxy of a workbench that is gone${own(pid ? tty` (process ${pid})` : '')}${own(current ? tty`: ${current}` : '')} and may have no internet. ${own(connected ? tty`Clear it (back to ${restore ?? 'none'}): apprights network clear-stale --serial ${serial}` : 'Connect it to clear it.')}`,
    tty`${serial} 指向一个已不存在的工作台代理${own(pid ? tty`（进程 ${pid}）` : '')}${own(current ? tty`：${current}` : '')}，可能无法上网。${own(connected ? tty`清除（恢复为 ${restore ?? '空'}）：apprights network clear-stale --serial ${serial}` : '请连接手机后清除。')}`),
  networkUsage: bi('usage: apprights network clear-stale [--serial S] [--data-dir DIR] [--json]', '用法：apprights network clear-stale [--serial S] [--data-dir DIR] [--json]'),
  noStale: bi('No phone points at a dead workbench proxy.', '没有手机指向已失效的工作台代理。'),
  staleAway: (serial: string): Pair => bi(tty`${serial} is not connected; connect it and run this again`, tty`${serial} 未连接；请连接后重新运行`),
  staleCleared: (serial: string, restore: string | null): Pair => bi(tty`Cleared ${serial}: its proxy setting is ${own(restore === null ? 'none' : tty`${restore}`)} again.`, tty`已清除 ${serial}：其代理设置已恢复为${own(restore === null ? '空' : tty` ${restore}`)}。`),
  staleNotCleared: (serial: string, words: string): Pair => bi(tty`${serial} was not cleared: ${own(words)}`, tty`未能清除 ${serial}：${own(words)}`),

  // devices, virtual-device, scenarios, templates, serve
  noDevices: bi('No devices. Connect a phone with USB debugging on, or start the demo phone: apprights virtual-device --connect', '没有设备。请连接已开启 USB 调试的手机，或启动演示手机：apprights virtual-device --connect'),
  virtualListening: (id: string, profile: string, serial: string): Pair => bi(tty`Virtual phone "${id}" (${profile}) listening on ${serial}`, tty`虚拟手机“${id}”（${profile}）在 ${serial} 上监听`),
  connectedShell: (serial: string): Pair => bi(tty`Connected: adb -s ${serial} shell`, tty`已连接：adb -s ${serial} shell`),
  connectedUnauthorized: (serial: string): Pair => bi(
    tty`Connected; adb lists ${serial} as "unauthorized" (the RSA prompt was not accepted), as --auth asks.`,
    tty`已连接；按 --auth 的要求，adb 将 ${serial} 列为“unauthorized”（未接受 RSA 授权提示）。`),
  connectWith: (serial: string): Pair => bi(tty`Connect it with: adb connect ${serial}`, tty`用以下命令连接：adb connect ${serial}`),
  virtualStopped: bi('Virtual phone stopped.', '虚拟手机已停止。'),
  compliant: bi('(compliant)', '（合规）'),
  invalidScenario: (problem: string): Pair => bi(tty`invalid scenario: ${problem}`, tty`无效的场景：${problem}`),
  items: (n: number): Pair => bi(`${String(n).padStart(4)} items`, `${String(n).padStart(4)} 项`),
  rendererNotBuilt: (dir: string): Pair => bi(tty`the renderer is not built (${dir}); run \`npm run build\` first`, tty`界面尚未构建（${dir}）；请先运行 \`npm run build\``),
  servingOpenly: (host: string): Pair => bi(
    tty`WARNING: serving on ${host}: anyone who can reach this address and has the token can drive your phones.`,
    tty`警告：正在 ${host} 上提供服务，任何能访问该地址并持有令牌的人都能操作您的手机。`),
  // "Open / 打开: URL" is the line scripts and tests read the address from: the same in both languages.
  serving: (url: string): Pair => bi(tty`AppRights Workbench (browser mode) is running.\nOpen / 打开: ${url}`, tty`App用户权益检测工作台（浏览器模式）正在运行。\nOpen / 打开: ${url}`),
  farmUsage: bi('usage: apprights farm add|worker|status|results|retry|cancel --redis URL … (apprights --help)', '用法：apprights farm add|worker|status|results|retry|cancel --redis URL …（见 apprights --help）'),
  farmNeedsRedis: bi('farm needs --redis URL (redis://HOST:PORT)', 'farm 需要 --redis URL（redis://主机:端口）'),
  farmNeedsStore: bi('farm add and farm worker need --store DIR (the shared APK store every host mounts)', 'farm add 和 farm worker 需要 --store DIR（各主机共同挂载的 APK 存储）'),
  farmNeedsWork: bi('farm add needs APK files or folders (or --check --package P)', 'farm add 需要 APK 文件或文件夹（或 --check --package P）'),
  farmPackageNeedsCheck: bi('--package adds a check of an installed app: add --check', '--package 表示检测已安装的应用：请加 --check'),
  farmTemplateFile: (t: string): Pair => bi(tty`a farm names its template by id (saved or shipped on every host), not a file: ${t}`, tty`农场按 ID 指定模板（每台主机上都已保存或自带），不能用文件：${t}`),
  farmRedis: (words: string): Pair => bi(tty`${own(words)}`, tty`${own(words.replace(/^cannot reach Redis at/, '无法连接 Redis'))}`),
  farmStoreMissing: (dir: string): Pair => bi(tty`the APK store ${dir} is not there (is the share mounted on this host?)`, tty`APK 存储 ${dir} 不存在（本机是否已挂载该共享目录？）`),
  farmStored: (file: string, sha: string): Pair => bi(tty`stored ${file} as ${sha.slice(0, 16)}…`, tty`已存入 ${file}，SHA-256 ${sha.slice(0, 16)}…`),
  farmAdded: (kind: string, added: number, already: number): Pair => bi(`${kind} jobs: ${added} added, ${already} already there (not added again)`, `${KIND_ZH[kind] ?? kind}任务：新增 ${added} 个，${already} 个已存在（未重复添加）`),
  farmNoPhones: bi('this worker holds no phone: it takes analyze jobs only', '本工作进程没有手机：只执行分析任务'),
  farmWorkerStopping: bi('stopping: the jobs running here are finished first (a second Ctrl-C kills them; they run again elsewhere)', '正在停止：先完成本机正在执行的任务（再按一次 Ctrl-C 则立即结束，任务会在别处重新执行）'),
  farmResultsWritten: (n: number, out: string): Pair => bi(tty`${own(String(n))} results written to ${out}`, tty`已将 ${own(String(n))} 个结果写入 ${out}`),
  farmQueueLine: (kind: string, waiting: number, delayed: number, active: number, done: number, failed: number, rate: string, eta: string): Pair =>
    bi(`${kind}: ${waiting} queued, ${delayed} waiting to retry, ${active} running, ${done} done, ${failed} failed; ${rate}/min, ETA ${eta}`,
      `${KIND_ZH[kind] ?? kind}：排队 ${waiting}，等待重试 ${delayed}，运行中 ${active}，完成 ${done}，失败 ${failed}；每分钟 ${rate} 个，预计剩余 ${eta}`),
  farmRunning: (id: string, file: string, worker: string, phone: string, seconds: number, attempt: number): Pair =>
    bi(tty`  running ${id} ${file} on ${worker}${phone ? ` phone ${phone}` : ''} for ${own(String(seconds))} s (attempt ${own(String(attempt))})`,
      tty`  运行中 ${id} ${file}，工作进程 ${worker}${phone ? `，手机 ${phone}` : ''}，已 ${own(String(seconds))} 秒（第 ${own(String(attempt))} 次）`),
  farmFailed: (id: string, file: string, attempts: number, reason: string): Pair =>
    bi(tty`  failed ${id} ${file} after ${own(String(attempts))} attempts: ${reason}`, tty`  失败 ${id} ${file}，共尝试 ${own(String(attempts))} 次：${reason}`),
  farmWorkers: (n: number, farm: string | null): Pair => bi(tty`${farm ? `farm ${farm}: ` : ''}${own(String(n))} worker${n === 1 ? '' : 's'}`, tty`${farm ? `农场 ${farm}：` : ''}工作进程 ${own(String(n))} 个`),
  farmWorkerLine: (name: string, host: string, analyze: number, alive: boolean, silentSeconds: number): Pair =>
    bi(tty`  worker ${name} on ${host}: ${own(String(analyze))} ${analyze === 1 ? 'analysis' : 'analyses'} at once${alive ? '' : `, silent for ${own(String(silentSeconds))} s`}`,
      tty`  工作进程 ${name}（主机 ${host}）：同时分析 ${own(String(analyze))} 个${alive ? '' : `，已 ${own(String(silentSeconds))} 秒无响应`}`),
  farmPhoneLine: (serial: string, state: 'idle' | 'busy' | 'away', job: string | null): Pair =>
    bi(tty`    phone ${serial}: ${state === 'busy' ? `running ${job ?? ''}` : state === 'away' ? 'away (takes no job until it is back)' : 'idle'}`,
      tty`    手机 ${serial}：${state === 'busy' ? `正在执行 ${job ?? ''}` : state === 'away' ? '已离线（恢复前不接任务）' : '空闲'}`),
  farmName: (name: string): Pair => bi(tty`"${name.slice(0, 60)}" is not a farm name: letters (any script), digits, - and _, up to 40, starting with a letter or digit`,
    tty`“${name.slice(0, 60)}”不是农场名称：只能由文字（含汉字）、数字、- 和 _ 组成，最长 40 个字符，以字母或数字开头`),
  farmControlUsage: (what: 'retry' | 'cancel'): Pair => bi(`usage: apprights farm ${what} --redis URL [--farm NAME] JOB_ID...`, `用法：apprights farm ${what} --redis URL [--farm NAME] 任务ID...`),
  farmRetried: (id: string): Pair => bi(tty`${id}: queued again from its first attempt`, tty`${id}：已重新排队，从第一次尝试开始`),
  farmCancelled: (id: string): Pair => bi(tty`${id}: removed from the queue (the same work can be added again)`, tty`${id}：已从队列移除（之后可重新添加同样的任务）`),
  farmControlRefused: (id: string, why: 'not-found' | 'running' | 'finished' | 'not-failed'): Pair => bi(
    tty`${id}: ${{ 'not-found': 'no such job in this farm', running: 'it is running; stop its worker and it goes back to the queue', finished: 'it is done and keeps its result', 'not-failed': 'only a failed job can be retried' }[why]}`,
    tty`${id}：${{ 'not-found': '本农场没有这个任务', running: '正在运行；停止其工作进程后任务会回到队列', finished: '已完成，结果保留', 'not-failed': '只有失败的任务可以重试' }[why]}`),
};
