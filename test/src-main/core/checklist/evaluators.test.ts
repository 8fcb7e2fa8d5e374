/** Evaluators on hand-written timelines, at the edges the rules of interpretation draw. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { EVALUATORS } from '../../../../src-main/core/checklist/evaluators/index.js';
import { propose } from '../../../../src-main/core/checklist/evaluate.js';
import { loadTemplateFile } from '../../../../src-main/core/checklist/load-template.js';
import { APP, TimelineBuilder } from '../../../support/timeline-builder.js';

const { template } = loadTemplateFile(join(__dirname, '../../../../resources/templates/miit-164.yaml'));

function run(name: string, b: TimelineBuilder, params: Record<string, unknown> = {}) {
  const ev = EVALUATORS.get(name)!;
  return ev.evaluate(b.facts(), ev.params().parse(params));
}

describe('164-1.1 pre-consent access', () => {
  it('an access 1 ms before the consent mark is a violation; 1 ms after is not', () => {
    const before = new TimelineBuilder();
    before.launch(0);
    const hit = before.access(4999, 'FINE_LOCATION');
    before.mark(5000, 'consent.given');
    expect(run('pre-consent-access', before)).toMatchObject({ status: 'violation', evidence: [hit] });

    const after = new TimelineBuilder();
    after.launch(0);
    after.mark(5000, 'consent.given');
    after.access(5001, 'FINE_LOCATION');
    expect(run('pre-consent-access', after).status).toBe('none-observed');
  });

  it('a refused attempt counts as collection; a non-sensitive op does not', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    b.access(100, 'WAKE_LOCK');
    const attempt = b.access(200, 'READ_CONTACTS', 'top', true);
    b.mark(1000, 'consent.declined');
    expect(run('pre-consent-access', b)).toMatchObject({ status: 'violation', evidence: [attempt] });
  });

  it('what the app does after a decline belongs to 164-1.3, not 164-1.1', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    b.mark(1000, 'consent.declined');
    const late = b.access(1500, 'COARSE_LOCATION');
    expect(run('pre-consent-access', b).status).toBe('none-observed');
    expect(run('after-decline', b)).toMatchObject({ status: 'violation', evidence: [late] });
  });

  it('a relaunch after clearing data opens a new pre-consent window', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    b.mark(1000, 'consent.declined');
    b.action(2000, 'clear-data');
    b.launch(2100);
    const hit = b.access(2200, 'READ_CLIPBOARD');
    b.mark(3000, 'consent.given');
    expect(run('pre-consent-access', b)).toMatchObject({ status: 'violation', evidence: [hit] });
    expect(run('after-decline', b).status).toBe('none-observed');
  });

  it('says when there is no first launch to judge', () => {
    expect(run('pre-consent-access', new TimelineBuilder()).status).toBe('insufficient-evidence');
  });
});

describe('164-1.2 pre-consent permission request', () => {
  it('a dialog answered before consent is a violation', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    const r = b.result(500, 'READ_PHONE_STATE', 'USER_DENIED');
    b.mark(1000, 'consent.given');
    b.result(2000, 'CAMERA', 'USER_DENIED');
    expect(run('pre-consent-permission-request', b)).toMatchObject({ status: 'violation', evidence: [r] });
  });
});

describe('164-1.8 after revoke', () => {
  it('an attempt on the revoked permission\'s data after the revoke is a violation; other data is not', () => {
    const b = new TimelineBuilder();
    const revoke = b.at(1000, { type: 'permission.state', permission: 'android.permission.ACCESS_FINE_LOCATION', granted: false, flags: [], change: 'revoked' });
    b.access(1500, 'CAMERA');
    const hit = b.access(2000, 'FINE_LOCATION', 'top', true);
    expect(run('after-revoke', b)).toMatchObject({ status: 'violation', evidence: [revoke, hit] });
  });
});

describe('164-5.2 frequent re-request', () => {
  const window = 48 * 3_600_000;
  it('a re-request 1 ms inside the window is a violation; 1 ms outside is not', () => {
    const inside = new TimelineBuilder();
    const d = inside.result(0, 'CAMERA', 'USER_DENIED');
    const again = inside.result(window, 'CAMERA', 'USER_DENIED');
    expect(run('frequent-rerequest', inside)).toMatchObject({ status: 'violation', evidence: [d, again] });
    const outside = new TimelineBuilder();
    outside.result(0, 'CAMERA', 'USER_DENIED');
    outside.result(window + 1, 'CAMERA', 'USER_DENIED');
    expect(run('frequent-rerequest', outside).status).toBe('none-observed');
  });

  it('an automatic refusal (no dialog shown) and a request after clearing data are not re-requests', () => {
    const b = new TimelineBuilder();
    b.result(0, 'CAMERA', 'USER_DENIED_WITH_PREJUDICE');
    b.result(1000, 'CAMERA', 'IGNORED_USER_FIXED');
    b.action(2000, 'clear-data');
    b.result(3000, 'CAMERA', 'USER_DENIED');
    expect(run('frequent-rerequest', b).status).toBe('none-observed');
  });
});

describe('164-5.1 forced permission', () => {
  it('a death right after a denial is a violation; a death the tester caused by force-stop is not', () => {
    const exits = new TimelineBuilder();
    const d = exits.result(0, 'READ_PHONE_STATE', 'USER_DENIED');
    const death = exits.death(400);
    expect(run('forced-permission', exits)).toMatchObject({ status: 'violation', evidence: [d, death] });

    const stopped = new TimelineBuilder();
    stopped.result(0, 'READ_PHONE_STATE', 'USER_DENIED');
    stopped.action(300, 'force-stop');
    stopped.death(400);
    expect(run('forced-permission', stopped).status).toBe('none-observed');
  });

  it('the same dialog looping after a denial is a violation', () => {
    const b = new TimelineBuilder();
    b.result(0, 'CAMERA', 'USER_DENIED');
    b.result(500, 'CAMERA', 'USER_DENIED');
    b.result(1000, 'CAMERA', 'USER_DENIED');
    expect(run('forced-permission', b).status).toBe('violation');
  });
});

describe('164-5.3 / 5.4 requests ahead of need, bundled', () => {
  it('requests right after consent before any tester input; not after the tester used a feature', () => {
    const early = new TimelineBuilder();
    early.mark(0, 'consent.given');
    early.result(800, 'CAMERA', 'USER_DENIED');
    expect(run('ahead-of-need', early).status).toBe('violation');
    const used = new TimelineBuilder();
    used.mark(0, 'consent.given');
    used.at(500, { type: 'tester.input', action: { kind: 'tap', x: 1, y: 1 } });
    used.result(800, 'CAMERA', 'USER_DENIED');
    expect(run('ahead-of-need', used).status).toBe('none-observed');
  });

  it('two permission groups in one burst are bundled; one group (fine + coarse location) is not', () => {
    const one = new TimelineBuilder();
    one.result(0, 'ACCESS_FINE_LOCATION', 'USER_DENIED');
    one.result(10, 'ACCESS_COARSE_LOCATION', 'USER_DENIED');
    expect(run('bundled-request', one).status).toBe('none-observed');
    const two = new TimelineBuilder();
    two.result(0, 'ACCESS_FINE_LOCATION', 'USER_DENIED');
    two.result(3000, 'READ_CONTACTS', 'USER_DENIED');
    expect(run('bundled-request', two).status).toBe('violation');
    const apart = new TimelineBuilder();
    apart.result(0, 'ACCESS_FINE_LOCATION', 'USER_DENIED');
    apart.result(20_000, 'READ_CONTACTS', 'USER_DENIED');
    expect(run('bundled-request', apart).status).toBe('none-observed');
  });
});

describe('164-5.5 update', () => {
  it('a permission granted after an update without the user is a violation', () => {
    const b = new TimelineBuilder();
    const up = b.at(0, { type: 'package.installed', installer: 'com.android.vending', packageName: APP });
    const g = b.at(1500, { type: 'permission.state', permission: 'android.permission.READ_CONTACTS', granted: true, flags: [], change: 'granted' });
    expect(run('update-permission-change', b)).toMatchObject({ status: 'violation', evidence: [up, g] });
  });
});

describe('164-6.1 self-start', () => {
  it('the app\'s own second process while in front is the tester\'s; a start after force-stop is a self-start', () => {
    const b = new TimelineBuilder();
    b.stage(0, 'agree');
    b.launch(0);
    b.start(100, 'top-activity');
    b.start(30_000, 'service', `${APP}:push`);
    // Neither the force-stop wait nor the reboot ran yet: the item is not tested (stage-coverage.ts).
    expect(propose(template, b.facts()).find((p) => p.item === '164-6.1')!.status).toBe('not-tested');
    b.stage(40_000, 'self-start');
    b.action(40_000, 'force-stop');
    const own = b.start(45_000, 'broadcast');
    expect(run('self-start', b)).toMatchObject({ status: 'violation', evidence: [own] });
  });
});

describe('164-6.2 associated start', () => {
  it('a warm start into another running app from the app is associated; the launcher starting the app is not', () => {
    const b = new TimelineBuilder();
    b.at(0, { type: 'intent.start', callerUid: 10101, callerPackage: null, target: APP, kind: 'activity', launcher: true, packageName: APP });
    expect(run('associated-start', b).status).toBe('none-observed');
    const warm = b.at(1000, { type: 'intent.start', callerUid: 10234, callerPackage: APP, target: 'com.other.video', kind: 'activity', launcher: false, packageName: 'com.other.video' });
    expect(run('associated-start', b)).toMatchObject({ status: 'violation', evidence: [warm] });
  });

  it('a cold start of another package whose caller is the app', () => {
    const b = new TimelineBuilder();
    const cold = b.start(0, 'service', 'com.other.helper', APP);
    expect(run('associated-start', b)).toMatchObject({ status: 'violation', evidence: [cold] });
  });
});

describe('164-2.1 / 2.2 frequency and background', () => {
  it('periodic accesses are frequent; accesses at each launch are not', () => {
    const periodic = new TimelineBuilder();
    for (let i = 0; i < 5; i++) periodic.access(10_000 + i * 30_000, 'FINE_LOCATION');
    expect(run('access-frequency', periodic).status).toBe('violation');
    const launches = new TimelineBuilder();
    for (let i = 0; i < 5; i++) {
      launches.launch(i * 20_000);
      launches.access(i * 20_000 + 300, 'FINE_LOCATION');
    }
    expect(run('access-frequency', launches).status).toBe('none-observed');
  });

  it('a background uid state is a background access; top is not', () => {
    const b = new TimelineBuilder();
    b.stage(0, 'background');
    b.access(1000, 'FINE_LOCATION', 'top');
    expect(run('background-access', b).status).toBe('none-observed');
    const bg = b.access(2000, 'FINE_LOCATION', 'bg', true);
    expect(run('background-access', b)).toMatchObject({ status: 'violation', evidence: [bg] });
  });
});

describe('164-1.4 / 1.5 consent screen', () => {
  it('a policy page read in the policy stage is not the first-launch screen (the run\'s first-launch dump failed)', () => {
    const b = new TimelineBuilder();
    b.stage(0, 'first-launch');
    b.launch(0);
    b.stage(5000, 'policy');
    // The policy's own page: its words and links, no decline button — it is no consent dialog.
    b.dump(6000, [{ text: '隐私政策', clickable: false }, { text: '《第三方共享清单》' }, { text: '返回' }]);
    expect(run('consent-decline-option', b).status).toBe('insufficient-evidence');
    expect(run('consent-policy-prompt', b).status).toBe('insufficient-evidence');
  });

  it('a privacy dialog with only "我知道了" has no decline option; with "不同意" it has', () => {
    const only = new TimelineBuilder();
    only.launch(0);
    only.dump(500, [{ text: '请阅读《隐私政策》', clickable: false }, { text: '我知道了' }]);
    expect(run('consent-decline-option', only).status).toBe('violation');
    const both = new TimelineBuilder();
    both.launch(0);
    both.dump(500, [{ text: '用户协议与隐私政策', clickable: false }, { text: '同意并继续' }, { text: '不同意' }]);
    expect(run('consent-decline-option', both).status).toBe('none-observed');
  });

  it('a ticked consent box before any tap is pre-ticked consent', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    b.dump(500, [{ text: '我已阅读并同意《隐私政策》', checkable: true, checked: true }]);
    expect(run('consent-pre-ticked', b).status).toBe('violation');
  });
});

describe('164-7.1 silent install', () => {
  it('a package installed by the app is reported; the workbench\'s own install is not', () => {
    const b = new TimelineBuilder();
    b.at(0, { type: 'app.installed', ok: true, installedPackage: APP, failureCode: null, apkSha256: null, output: null });
    b.at(10, { type: 'package.installed', installer: 'com.android.shell', packageName: APP });
    expect(run('silent-install', b).status).toBe('none-observed');
    const other = b.at(5000, { type: 'package.installed', installer: APP, packageName: 'com.partner.game' });
    expect(run('silent-install', b)).toMatchObject({ status: 'violation', evidence: [other] });
  });
});

describe('requests are dated by their dialog', () => {
  it('denying a dialog opened before consent was declined is not a request after the decline', () => {
    const b = new TimelineBuilder();
    b.launch(0);
    const dialog = b.at(300, { type: 'permission.dialog', uid: 10234, controller: 'com.android.permissioncontroller' });
    b.mark(900, 'consent.declined');
    b.result(1000, 'READ_PHONE_STATE', 'USER_DENIED');
    expect(run('after-decline', b).status).toBe('none-observed');
    expect(run('pre-consent-permission-request', b)).toMatchObject({ status: 'violation', evidence: [dialog] });
  });
});
