/**
 * Consent dialogs in their real variants (issue #26): acknowledge-only notices, guest modes, decline texts inside
 * clickable rows, dialogs drawn in a WebView, consent boxes and switches labelled by the text beside them, and
 * implied consent — read from uiautomator XML by the real parser, judged by the 164-1.4 / 1.5 evaluators and
 * read by the headless run's screen reader.
 */
import { describe, expect, it } from 'vitest';
import { parseUiDump } from '../../../../src-main/core/adb/ui-dump.js';
import { controlRole, readConsentDialog } from '../../../../src-main/core/checklist/evaluators/consent-dialog.js';
import { EVALUATORS } from '../../../../src-main/core/checklist/evaluators/index.js';
import { consentButtons } from '../../../../src-main/core/checklist/run/screen-reading.js';
import { dialogDump, dumpXml, type DialogSpec, type Shape } from '../../../support/consent-dumps.js';
import { APP, TimelineBuilder } from '../../../support/timeline-builder.js';

function run(name: string, b: TimelineBuilder) {
  const ev = EVALUATORS.get(name)!;
  return ev.evaluate(b.facts(), ev.params().parse({}));
}

/** A first launch whose screen is this dialog: a screenshot, then the UI dump, under one name (as the run takes them). */
function firstLaunch(spec: DialogSpec, shape: Shape): { b: TimelineBuilder; shot: number; dump: number } {
  const b = new TimelineBuilder();
  b.launch(0);
  const shot = b.at(400, { type: 'capture', kind: 'screenshot', blob: { sha256: 'p', size: 1, path: 'blobs/p.png', mediaType: 'image/png' }, name: 'first launch' });
  const dump = b.at(500, { type: 'capture', kind: 'ui.dump', blob: { sha256: 'x', size: 1, path: 'blobs/x.xml', mediaType: 'application/xml' }, name: 'first launch' });
  b.uiDumps.set(dump, dialogDump(APP, spec, shape).tree);
  return { b, shot, dump };
}

const NOTICE = ['温馨提示', '欢迎使用！我们依据最新的法律要求更新了《隐私政策》，请您仔细阅读。'];

describe('what a control does, by its label', () => {
  it.each([
    ['同意并继续', 'agree'], ['同 意', 'agree'], ['我已阅读并同意', 'agree'], ['Accept', 'agree'],
    ['不同意并退出', 'decline'], ['暂不同意', 'decline'], ['仍不同意', 'decline'], ['退出应用', 'decline'], ['暂不开启', 'decline'], ['No thanks', 'decline'],
    ['仅浏览', 'guest'], ['暂不同意，仅浏览', 'guest'], ['游客模式', 'guest'], ['基础功能模式', 'guest'], ['Browse as guest', 'guest'],
    ['我知道了', 'acknowledge'], ['知道了', 'acknowledge'], ['好的', 'acknowledge'], ['进入应用', 'acknowledge'], ['Got it', 'acknowledge'], ['OK', 'acknowledge'],
    ['《隐私政策》', 'other'], ['再次查看', 'other'], ['同意我们按照本政策处理你的个人信息，若你不同意本政策将无法使用', 'other'],
  ])('"%s" is %s', (label, role) => {
    expect(controlRole(label)).toBe(role);
  });
});

describe('164-1.4: a dialog the user cannot refuse', () => {
  it.each(['native', 'row', 'webview'] as Shape[])('a notice whose only button acknowledges ("我知道了" / "进入应用") is a violation, with the dump and its screenshot (%s)', (shape) => {
    for (const only of ['我知道了', '进入应用', '好的']) {
      const { b, shot, dump } = firstLaunch({ texts: NOTICE, controls: [{ text: only }] }, shape);
      const p = run('consent-decline-option', b);
      expect(p.status, only).toBe('violation');
      expect(p.evidence).toEqual([shot, dump]);
      expect(p.explanation.zh).toContain(`只有确认类按钮：“${only}”`);
    }
  });

  it('a decline text inside a clickable row is a decline option (the text itself is not clickable)', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '同意并继续' }, { text: '不同意并退出' }] }, 'row');
    expect(run('consent-decline-option', b)).toMatchObject({ status: 'none-observed', explanation: { zh: expect.stringContaining('“不同意并退出”') } });
  });

  it('a dialog in a WebView whose buttons uiautomator reports as not clickable still offers its decline', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '不同意' }, { text: '同意并继续' }] }, 'webview');
    const p = run('consent-decline-option', b);
    expect(p.status).toBe('none-observed');
    expect(p.explanation.zh).toContain('WebView');
  });

  it('a guest mode without a decline button is a way to refuse, and is said to be one', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '同意并继续' }, { text: '仅浏览' }] }, 'native');
    const p = run('consent-decline-option', b);
    expect(p.status).toBe('none-observed');
    expect(p.explanation.zh).toMatch(/没有“不同意”按钮，但可以“仅浏览”进入游客\/浏览模式/);
  });

  it('a guest entry beside a decline button is noted', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '同意并接受' }, { text: '暂不同意' }, { text: '游客模式' }] }, 'native');
    expect(run('consent-decline-option', b).explanation.zh).toContain('另可“游客模式”进入游客/浏览模式');
  });

  it('a dialog whose only agree button says 同意 is a violation too (agree-only)', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '同意' }] }, 'native');
    const p = run('consent-decline-option', b);
    expect(p.status).toBe('violation');
    expect(p.explanation.zh).toContain('只有同意类按钮');
  });

  it('a dialog with no control it can read goes to the tester instead of being called a violation', () => {
    const { b } = firstLaunch({ texts: NOTICE, controls: [{ text: '✓' }, { text: '✗' }] }, 'native');
    expect(run('consent-decline-option', b).status).toBe('needs-tester');
  });

  it('the system permission dialog is not the app\'s consent dialog', () => {
    const xml = dumpXml('com.android.permissioncontroller', [{ cls: 'android.widget.TextView', text: '要允许“演示”访问您的个人信息吗？' }, { cls: 'android.widget.Button', text: '允许', clickable: true }]);
    expect(readConsentDialog(parseUiDump(xml).nodes)).toBeNull();
  });
});

describe('164-1.5: a consent box or switch on before any tap, or consent implied', () => {
  const login = (checked: boolean, kind: 'checkbox' | 'switch', box = '') => ({ texts: ['手机号登录'], controls: [{ text: '登录' }], boxes: [{ box, beside: box ? '' : '我已阅读并同意《用户协议》和《隐私政策》', kind, checked }] });

  it.each(['native', 'webview'] as Shape[])('a ticked checkbox whose words are beside it is pre-ticked consent (%s)', (shape) => {
    const { b, shot, dump } = firstLaunch(login(true, 'checkbox'), shape);
    const p = run('consent-pre-ticked', b);
    expect(p).toMatchObject({ status: 'violation', evidence: [shot, dump] });
    expect(p.explanation.zh).toContain('我已阅读并同意《用户协议》和《隐私政策》');
  });

  it('a consent switch left on is pre-ticked consent, named as a switch', () => {
    const { b } = firstLaunch(login(true, 'switch'), 'native');
    expect(run('consent-pre-ticked', b)).toMatchObject({ status: 'violation', explanation: { zh: expect.stringContaining('同意开关在任何操作前已打开') } });
  });

  it('an app\'s own tick picture (ImageView iv_agree) reported selected is pre-ticked; not selected it is not', () => {
    const picture = (checked: boolean) => ({ texts: ['手机号登录'], controls: [{ text: '登录' }], boxes: [{ box: '', beside: '我已阅读并同意《用户协议》和《隐私政策》', kind: 'picture' as const, checked }] });
    expect(run('consent-pre-ticked', firstLaunch(picture(true), 'native').b)).toMatchObject({ status: 'violation', explanation: { zh: expect.stringContaining('同意勾选框在任何操作前已被勾选') } });
    expect(run('consent-pre-ticked', firstLaunch(picture(false), 'native').b).status).toBe('none-observed');
    // An image button that agrees is not a tick box.
    const agreeImage = dumpXml(APP, [{ cls: 'android.widget.TextView', text: '我已阅读并同意《隐私政策》' }, { cls: 'android.widget.ImageButton', id: 'btn_agree', clickable: true, selected: true }]);
    expect(readConsentDialog(parseUiDump(agreeImage).nodes)!.boxes).toEqual([]);
  });

  it('the same box or switch off is none observed', () => {
    for (const kind of ['checkbox', 'switch'] as const) expect(run('consent-pre-ticked', firstLaunch(login(false, kind), 'native').b).status, kind).toBe('none-observed');
  });

  it('"使用本应用即表示您已阅读并同意" implies consent; "点击同意即表示…" is an explicit click, not implied', () => {
    const implied = firstLaunch({ texts: ['温馨提示', '使用本应用即表示您已阅读并同意《隐私政策》。'], controls: [{ text: '我知道了' }] }, 'native');
    expect(run('consent-pre-ticked', implied.b)).toMatchObject({ status: 'violation', explanation: { zh: expect.stringContaining('默示同意') } });
    const explicit = firstLaunch({ texts: ['温馨提示', '点击同意即表示您已阅读并同意我们的《隐私政策》'], controls: [{ text: '同意' }, { text: '拒绝' }] }, 'native');
    expect(run('consent-pre-ticked', explicit.b).status).toBe('none-observed');
  });
});

describe('the run reads the same dialog', () => {
  it('taps the clickable row around a text, and finds the guest mode when there is no decline button', () => {
    const tree = dialogDump(APP, { texts: NOTICE, controls: [{ text: '同意并继续' }, { text: '仅浏览' }] }, 'row').tree;
    const buttons = consentButtons(tree);
    expect(buttons).toMatchObject({ dialog: true, decline: null, agree: { text: '同意并继续' }, guest: { text: '仅浏览' } });
    const row = tree.nodes[0]!.children[0]!.children.at(-1)!.children[1]!;
    expect(row.clickable).toBe(true);
    expect(buttons.guest).toMatchObject({ x: Math.round((row.bounds[0] + row.bounds[2]) / 2), y: Math.round((row.bounds[1] + row.bounds[3]) / 2) });
  });

  it('an acknowledge-only notice is "agreed" by its acknowledge button (tapping it goes on into the app)', () => {
    expect(consentButtons(dialogDump(APP, { texts: NOTICE, controls: [{ text: '我知道了' }] }, 'native').tree)).toMatchObject({ agree: { text: '我知道了' }, decline: null, guest: null });
  });

  it('reads a hostile 5,000-node dump in bounded time', () => {
    const many = Array.from({ length: 6000 }, (_, i) => ({ cls: 'android.widget.TextView', text: i % 2 ? '同意' : '《隐私政策》', clickable: true }));
    const tree = parseUiDump(dumpXml(APP, [{ cls: 'android.widget.FrameLayout', children: many }]));
    const t0 = performance.now();
    const d = readConsentDialog(tree.nodes)!;
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(d.controls.length).toBeLessThanOrEqual(5000);
    // One clickable panel holding thousands of texts: each text asks whether the panel is its button.
    const panel = parseUiDump(dumpXml(APP, [{ cls: 'android.widget.FrameLayout', clickable: true, children: Array.from({ length: 4999 }, (_, i) => ({ cls: 'android.widget.TextView', text: i ? '不同意' : '隐私政策' })) }]));
    const t1 = performance.now();
    expect(readConsentDialog(panel.nodes)!.controls).toEqual([]);
    expect(performance.now() - t1).toBeLessThan(1000);
  });
});
