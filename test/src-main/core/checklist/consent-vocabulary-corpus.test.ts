/**
 * The consent recogniser measured on real apps' dialog texts (test/fixtures/consent-vocabulary, sources in its
 * SOURCES.md): each dialog rendered in the shapes real dumps take, read back by the real parser, its controls
 * classed and the dialog judged by the 164-1.4 evaluator; consent-box labels both ticked and not, by 164-1.5.
 * The roles and outcomes were written by hand from the sources. Prints precision/recall; the gate fails below it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConsentDialog, type ControlRole } from '../../../../src-main/core/checklist/evaluators/consent-dialog.js';
import { EVALUATORS } from '../../../../src-main/core/checklist/evaluators/index.js';
import { dialogDump, type Shape } from '../../../support/consent-dumps.js';
import { APP, TimelineBuilder } from '../../../support/timeline-builder.js';

interface Corpus {
  dialogs: Array<{ id: string; texts: string[]; controls: Array<{ text: string; role: ControlRole; as?: 'content-desc' }>; expect: 'can-refuse' | 'guest-only' | 'no-refusal' | 'none' | null; shape?: Shape }>;
  boxes: Array<{ id: string; box: string; beside: string }>;
  implied: Array<{ id: string; text: string; implied: boolean }>;
}

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '../../../fixtures/consent-vocabulary/dialogs.json'), 'utf8')) as Corpus;
const SHAPES: Shape[] = ['native', 'row', 'webview'];
const ROLES: ControlRole[] = ['agree', 'decline', 'guest', 'acknowledge'];
/** What the 164-1.4 evaluator should propose for each kind of dialog. */
const STATUS = { 'can-refuse': 'none-observed', 'guest-only': 'none-observed', 'no-refusal': 'violation', none: 'needs-tester' } as const;

function evaluate(name: string, nodes: ReturnType<typeof dialogDump>['tree']) {
  const b = new TimelineBuilder();
  b.launch(0);
  const seq = b.at(500, { type: 'capture', kind: 'ui.dump', blob: { sha256: 'x', size: 1, path: 'blobs/x.xml', mediaType: 'application/xml' }, name: 'first launch' });
  b.uiDumps.set(seq, nodes);
  const ev = EVALUATORS.get(name)!;
  return ev.evaluate(b.facts(), ev.params().parse({}));
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}% (${n}/${d})` : 'n/a';
}

describe('consent vocabulary gathered from real apps', () => {
  it('classes their controls and judges their dialogs above the gate', () => {
    const tp = new Map<ControlRole, number>(), fp = new Map<ControlRole, number>(), fn = new Map<ControlRole, number>();
    const add = (m: Map<ControlRole, number>, r: ControlRole) => m.set(r, (m.get(r) ?? 0) + 1);
    const wrong: string[] = [];
    let dialogs = 0, right = 0;
    for (const d of corpus.dialogs) {
      for (const shape of d.shape ? [d.shape] : SHAPES) {
        const tree = dialogDump(APP, { texts: d.texts, controls: d.controls }, shape).tree;
        // Controls are measured on the dialog as read; a dialog whose source gives no text is read with a neutral title.
        const read = readConsentDialog(tree.nodes) ?? readConsentDialog(dialogDump(APP, { texts: ['隐私政策', ...d.texts], controls: d.controls }, shape).tree.nodes);
        for (const c of d.controls) {
          const got = read?.controls.find((x) => x.label === c.text)?.role ?? 'other';
          if (got === c.role) {
            if (c.role !== 'other') add(tp, c.role);
          } else {
            if (got !== 'other') add(fp, got);
            if (c.role !== 'other') add(fn, c.role);
            wrong.push(`${d.id}/${shape}: "${c.text}" read as ${got}, is ${c.role}`);
          }
        }
        if (d.expect) {
          dialogs++;
          const status = evaluate('consent-decline-option', tree).status;
          if (status === STATUS[d.expect]) right++;
          else wrong.push(`${d.id}/${shape}: 164-1.4 proposed ${status}, expected ${STATUS[d.expect]} (${d.expect})`);
        }
      }
    }
    let boxes = 0, boxesRight = 0;
    for (const bx of corpus.boxes) {
      for (const kind of ['checkbox', 'switch'] as const) {
        for (const checked of [true, false]) {
          for (const beside of [true, false]) {
            const spec = { texts: ['登录'], controls: [{ text: '登录' }], boxes: [beside ? { box: bx.box, beside: bx.beside, kind, checked } : { box: bx.box + bx.beside, beside: '', kind, checked }] };
            boxes++;
            const status = evaluate('consent-pre-ticked', dialogDump(APP, spec, 'native').tree).status;
            if (status === (checked ? 'violation' : 'none-observed')) boxesRight++;
            else wrong.push(`${bx.id}/${kind}/${checked ? 'on' : 'off'}/${beside ? 'beside' : 'own'}: 164-1.5 proposed ${status}`);
          }
        }
      }
    }
    let implied = 0, impliedRight = 0;
    for (const im of corpus.implied) {
      implied++;
      const status = evaluate('consent-pre-ticked', dialogDump(APP, { texts: ['温馨提示', im.text], controls: [{ text: '同意' }, { text: '不同意' }] }, 'native').tree).status;
      if ((status === 'violation') === im.implied) impliedRight++;
      else wrong.push(`${im.id}: implied consent read as ${status}`);
    }
    const sum = (m: Map<ControlRole, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const lines = ROLES.map((r) => `  ${r.padEnd(11)} precision ${pct(tp.get(r) ?? 0, (tp.get(r) ?? 0) + (fp.get(r) ?? 0))}  recall ${pct(tp.get(r) ?? 0, (tp.get(r) ?? 0) + (fn.get(r) ?? 0))}`);
    console.log([
      `consent vocabulary corpus: ${corpus.dialogs.length} dialogs from real apps, read in ${SHAPES.length} dump shapes`,
      ...lines,
      `  all roles   precision ${pct(sum(tp), sum(tp) + sum(fp))}  recall ${pct(sum(tp), sum(tp) + sum(fn))}`,
      `  164-1.4 proposals right ${pct(right, dialogs)}; 164-1.5 boxes right ${pct(boxesRight, boxes)}; implied-consent texts right ${pct(impliedRight, implied)}`,
      ...(wrong.length ? ['  wrong:', ...wrong.map((w) => `    ${w}`)] : []),
    ].join('\n'));
    // The gate: what the corpus measures now, so a vocabulary change that loses real dialogs fails here.
    expect(sum(tp) / (sum(tp) + sum(fn))).toBeGreaterThanOrEqual(0.95);
    expect(sum(tp) / (sum(tp) + sum(fp))).toBeGreaterThanOrEqual(0.95);
    expect(right / dialogs).toBeGreaterThanOrEqual(0.95);
    expect(boxesRight).toBe(boxes);
    expect(impliedRight).toBe(implied);
  });
});
