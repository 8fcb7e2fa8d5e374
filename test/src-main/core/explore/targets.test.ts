// The explorer's targets: the wordings real apps use for each, mapped to checklist items that exist in the shipped
// template; labels that are not targets name none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TARGETS, targetsOf, targetsOfLabel } from '../../../../src-main/core/explore/targets.js';

describe('explorer targets', () => {
  it('finds each target in its Chinese and English wordings', () => {
    const cases: Array<[string, string[]]> = [
      ['《隐私政策》', ['privacy-policy']], ['隐私权政策', ['privacy-policy']], ['个人信息保护政策', ['privacy-policy']], ['Privacy Policy', ['privacy-policy']],
      ['注销账号', ['account-deletion']], ['账号注销', ['account-deletion']], ['Delete account', ['account-deletion']],
      ['个人信息查询与更正', ['pi-rights']], ['导出个人信息', ['pi-rights']], ['Download your data', ['pi-rights']],
      ['投诉与举报', ['complaints']], ['联系我们', ['complaints']], ['Contact us', ['complaints']],
      ['撤回隐私政策同意', ['consent-withdrawal']], ['撤回授权', ['consent-withdrawal']], ['Withdraw consent', ['consent-withdrawal']],
      ['个性化推荐', ['personalisation']], ['程序化广告', ['personalisation']], ['Personalized ads', ['personalisation']],
      ['设置', []], ['我的订单', []], ['关于', []],
    ];
    for (const [label, want] of cases) expect([label, targetsOfLabel(label)]).toEqual([label, want]);
  });

  it('reads the description when the text names nothing', () => {
    expect(targetsOf({ text: '', contentDesc: '隐私政策' })).toEqual(['privacy-policy']);
  });

  it('answers checklist items the shipped template has', () => {
    const template = readFileSync(join(__dirname, '../../../../resources/templates/miit-164.yaml'), 'utf8');
    for (const t of Object.values(TARGETS)) expect(template).toMatch(new RegExp(`id:\\s*['"]?${t.item.replace('.', '\\.')}['"]?`));
  });
});

describe('explorer targets on hostile labels', () => {
  it('reads only the start of a huge label, in bounded time', () => {
    const t0 = Date.now();
    expect(targetsOfLabel(`隐私政策${'隐私'.repeat(500_000)}`)).toEqual(['privacy-policy']);
    expect(targetsOfLabel(`${'啊'.repeat(300)}隐私政策`)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(200);
  });
});
