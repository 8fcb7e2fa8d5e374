// The explorer's deny list: actions that pay, post, delete, log out, call or leave the app are denied in the words
// real apps use; pages about them (which the explorer must be able to open) are not; text fields are never tapped.
import { describe, expect, it } from 'vitest';
import { deniedControl, deniedLabel } from '../../../../src-main/core/explore/deny-list.js';

describe('deny list', () => {
  it('denies the actions, each with its reason', () => {
    const cases: Array<[string, string]> = [
      ['立即购买', 'pays'], ['确认支付', 'pays'], ['开通会员', 'pays'], ['去结算', 'pays'], ['Buy now', 'pays'], ['Subscribe', 'pays'],
      ['发布', 'posts'], ['发表评论', 'posts'], ['提交', 'posts'], ['Send', 'posts'], ['Post', 'posts'],
      ['删除', 'deletes'], ['清除缓存', 'deletes'], ['删除全部记录', 'deletes'], ['清空历史', 'deletes'], ['Clear history', 'deletes'], ['确认注销', 'deletes'], ['申请注销', 'deletes'], ['Delete', 'deletes'],
      ['退出登录', 'logs-out'], ['切换账号', 'logs-out'], ['Log out', 'logs-out'], ['Sign out', 'logs-out'],
      ['拨打 400-820-8820', 'calls'], ['Call', 'calls'],
      ['去应用市场', 'leaves-app'], ['立即下载', 'leaves-app'], ['Open in browser', 'leaves-app'], ['Rate us', 'leaves-app'],
      // Found missing by the trap shop (explore-traps.yaml): each a button of its own in real apps.
      ['去支付', 'pays'], ['退订', 'pays'], ['取消订阅', 'pays'], ['Unsubscribe', 'pays'], ['一键清空', 'deletes'], ['全部删除', 'deletes'], ['解除绑定', 'deletes'], ['注销', 'deletes'],
      ['退出', 'logs-out'], ['Exit', 'logs-out'], ['撤回同意', 'withdraws'], ['确认撤回', 'withdraws'], ['撤回授权', 'withdraws'], ['Withdraw consent', 'withdraws'],
    ];
    for (const [label, reason] of cases) expect([label, deniedLabel(label)]).toEqual([label, reason]);
  });

  it('lets the pages the campaign asks about be opened, and words that only begin like a verb', () => {
    for (const label of ['注销账号', '账号注销', '注销说明', '退出设置', '撤回同意说明', '个人信息删除', '支付设置', '隐私政策', '设置', '我的', 'Poster', 'Clearance sale', 'Calendar', '个性化推荐', '联系我们', '下载管理中心与缓存清理说明页面'])
      expect([label, deniedLabel(label)]).toEqual([label, null]);
  });

  it('reads the description when there is no text, and never taps a text field', () => {
    expect(deniedControl({ text: '', contentDesc: '分享到微信', className: 'android.widget.ImageView' })).toBe('posts');
    expect(deniedControl({ text: '搜索', contentDesc: '', className: 'android.widget.EditText' })).toBe('types');
    expect(deniedControl({ text: '关于我们', contentDesc: '', className: 'android.widget.TextView' })).toBeNull();
  });
});
