// Pop-ups the walk dismisses: the system permission dialog (answered Deny), an app's ad or update dialog (closed by
// its close control); a page that only says 更新 or 权限, without a close control, is no pop-up.
import { describe, expect, it } from 'vitest';
import type { UiDumpNode, UiTree } from '../../../../src-preload/api.js';
import { findPopup } from '../../../../src-main/core/explore/popups.js';

function n(p: Partial<UiDumpNode>): UiDumpNode {
  return { text: '', resourceId: '', className: 'android.widget.TextView', packageName: 'com.demo.shop', contentDesc: '', checkable: false, checked: false, clickable: false, enabled: true, bounds: [0, 0, 100, 100], children: [], ...p };
}
const tree = (...nodes: UiDumpNode[]): UiTree => ({ rotation: 0, nodes: [n({ className: 'android.widget.FrameLayout', children: nodes })], nodeCount: nodes.length + 1 });

describe('findPopup', () => {
  it('answers the permission dialog with Deny, never Allow', () => {
    const p = 'com.google.android.permissioncontroller';
    const t = tree(n({ packageName: p, text: 'Allow Demo Shop to access your location?' }), n({ packageName: p, text: 'While using the app', clickable: true }), n({ packageName: p, text: "Don't allow", clickable: true, bounds: [0, 200, 100, 300] }));
    expect(findPopup(t, p)).toEqual({ kind: 'permission', words: expect.stringContaining('location'), about: 'Allow Demo Shop to access your location?', close: { label: "Don't allow", bounds: [0, 200, 100, 300] } });
  });

  it('closes an update dialog by 以后再说 and an ad by an icon whose id says close', () => {
    expect(findPopup(tree(n({ text: '发现新版本 3.2.0' }), n({ text: '立即更新', clickable: true }), n({ text: '以后再说', clickable: true })), 'com.demo.shop')).toMatchObject({ kind: 'update', about: '发现新版本 3.2.0', close: { label: '以后再说' } });
    expect(findPopup(tree(n({ text: '新人专享红包' }), n({ className: 'android.widget.ImageView', resourceId: 'com.demo.shop:id/iv_close', clickable: true })), 'com.demo.shop')).toMatchObject({ kind: 'ad', close: { label: 'com.demo.shop:id/iv_close' } });
    expect(findPopup(tree(n({ text: '广告' }), n({ text: '跳过 5s', clickable: true })), 'com.demo.shop')).toMatchObject({ kind: 'ad', close: { label: '跳过 5s' } });
  });

  it('takes a page that only mentions 更新 or 权限 for no pop-up', () => {
    expect(findPopup(tree(n({ text: '设置' }), n({ text: '检查更新', clickable: true }), n({ text: '权限管理', clickable: true })), 'com.demo.shop')).toBeNull();
  });
});
