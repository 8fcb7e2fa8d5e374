// The explorer's screen identity on dumps in uiautomator's own XML layout (read by the workbench's parser): the same
// screen with another clock, badge count or scrolled feed is one screen; another title, another control or another
// app is another screen; the status bar never counts.
import { describe, expect, it } from 'vitest';
import { parseUiDump } from '../../../../src-main/core/adb/ui-dump.js';
import { foldedWords, screenIdentity } from '../../../../src-main/core/explore/screen-identity.js';

const node = (attrs: Record<string, string>, children = ''): string => {
  const all = { index: '0', text: '', 'resource-id': '', class: 'android.widget.TextView', package: 'com.demo.shop', 'content-desc': '', checkable: 'false', checked: 'false', clickable: 'false', enabled: 'true', focusable: 'false', focused: 'false', scrollable: 'false', 'long-clickable': 'false', password: 'false', selected: 'false', bounds: '[0,0][100,100]', ...attrs };
  const a = Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(' ');
  return children ? `<node ${a}>${children}</node>` : `<node ${a} />`;
};

/** A "我的" page: status bar clock, a title, an unread badge, a settings list and a feed. */
function minePage(o: { clock?: string; badge?: string; feed?: string[]; title?: string; extra?: string; pkg?: string } = {}): string {
  const pkg = o.pkg ?? 'com.demo.shop';
  const feed = (o.feed ?? ['推荐：夏季新品', '推荐：满减活动']).map((t) => node({ text: t, package: pkg, clickable: 'true' })).join('');
  return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">${node({ class: 'android.widget.FrameLayout', package: 'com.android.systemui' }, node({ text: o.clock ?? '14:02', package: 'com.android.systemui', 'resource-id': 'com.android.systemui:id/clock' }))}${node({ class: 'android.widget.FrameLayout', package: pkg }, [
    node({ text: o.title ?? '我的', package: pkg, 'resource-id': `${pkg}:id/title` }),
    node({ text: `消息 ${o.badge ?? '3'}`, package: pkg, 'resource-id': `${pkg}:id/inbox`, clickable: 'true' }),
    node({ text: '设置', package: pkg, 'resource-id': `${pkg}:id/settings`, clickable: 'true' }),
    o.extra ?? '',
    node({ class: 'androidx.recyclerview.widget.RecyclerView', package: pkg, 'resource-id': `${pkg}:id/feed`, scrollable: 'true' }, feed),
  ].join(''))}</hierarchy>`;
}

const id = (xml: string): string => screenIdentity(parseUiDump(xml));

describe('screen identity', () => {
  it('is the same screen with another clock, unread count or feed content', () => {
    const base = id(minePage());
    expect(base).toMatch(/^com\.demo\.shop#[0-9a-f]{16}$/);
    expect(id(minePage({ clock: '14:03' }))).toBe(base);
    expect(id(minePage({ badge: '12' }))).toBe(base);
    expect(id(minePage({ feed: ['推荐：秋季上新', '推荐：会员日', '推荐：新人礼包'] }))).toBe(base);
  });

  it('is another screen with another title, another control, or in another app', () => {
    const base = id(minePage());
    expect(id(minePage({ title: '设置' }))).not.toBe(base);
    expect(id(minePage({ extra: node({ text: '注销账号', clickable: 'true' }) }))).not.toBe(base);
    const other = id(minePage({ pkg: 'com.other.app' }));
    expect(other).not.toBe(base);
    expect(other.startsWith('com.other.app#')).toBe(true);
  });

  it('folds digits and spaces and bounds a label', () => {
    expect(foldedWords('  消息  12 条 ')).toBe('消息 # 条');
    expect(foldedWords('x'.repeat(100))).toHaveLength(40);
  });
});
