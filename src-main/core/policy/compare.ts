/**
 * The comparison of what the policy says with what the app was seen to contain and do, and with the app
 * type's necessary personal information: one matrix a tester reads in a minute (problems first), and the
 * summary the CLI prints. Every row carries its evidence: policy sentences, APK analysis entries, timeline seqs.
 */
import type { Localized } from '../../../src-preload/checklist.js';
import type { ComparisonEvidence, MatrixRow, MatrixStatus, NamedCompany, PolicyComparison, PolicyReading, PolicySentence } from '../../../src-preload/policy.js';
import { loadKnowledge } from '../apk/knowledge.js';
import type { Observed, ObservedThing } from './observed.js';
import { policyKnowledge, type AppType } from './policy-knowledge.js';

export interface ComparisonInput {
  reading: PolicyReading | null;
  policy: PolicyComparison['policy'];
  observed: Observed;
  appType: AppType | null;
}

/** How a company is named, in the note of an SDK of it that the policy does not name. */
const COMPANY_ROLE: Record<NamedCompany['role'], Localized> = {
  'third-party': { zh: '作为接收信息的第三方', en: 'as a third party receiving data' },
  'service-provider': { zh: '作为某项功能的服务提供方', en: 'as the provider of a function' },
  link: { zh: '在链接中', en: 'in a link' },
  address: { zh: '在地址或联系方式中', en: 'in an address' },
  operator: { zh: '运营者', en: 'the operator' },
  other: { zh: '在其他语境中', en: 'in passing' },
};

const ORDER: Record<MatrixStatus, number> = { 'observed-denied': 0, 'observed-undeclared': 1, 'declared-observed': 2, 'declared-unobserved': 3, 'declared-unobservable': 4 };

function evidence(sentences: number[], o: ObservedThing | undefined): ComparisonEvidence {
  return { sentences: [...new Set(sentences)].slice(0, 20), apk: o?.static ?? [], timeline: o?.runtime ?? [] };
}

function observedBy(o: ObservedThing | undefined): MatrixRow['observedBy'] {
  return [...(o?.static.length ? ['static' as const] : []), ...(o?.runtime.length ? ['runtime' as const] : [])];
}

/** The policy sentences a comparison cites (its rows and the two lists' headings), in order. */
export function citedSentences(comparison: PolicyComparison, reading: PolicyReading | null): PolicySentence[] {
  const cited = new Set(comparison.rows.flatMap((r) => r.evidence.sentences));
  for (const l of [reading?.twoLists.collected, reading?.twoLists.shared]) if (l && l.sentence !== null) cited.add(l.sentence);
  return (reading?.sentences ?? []).filter((s) => cited.has(s.index));
}

export function compare(input: ComparisonInput): PolicyComparison {
  const { reading, observed, appType } = input;
  const { dictionary } = policyKnowledge();
  const known = new Map(loadKnowledge().sdks.sdks.map((s) => [s.id, { name: s.name, vendor: s.vendor }]));
  // An SDK the host table names that the signature table does not know is labelled by the host table's words.
  const sdkDb = { get: (id: string) => known.get(id) ?? observed.sdkRefs.get(id) };
  const rows: MatrixRow[] = [];
  const necessary = new Set(appType?.categories ?? []);

  const declaredSdks = new Map((reading?.sdks ?? []).map((s) => [s.id, s]));
  const denied = new Map((reading?.deniedSdks ?? []).map((d) => [d.id, d]));
  const quote = (i: number): string => (reading?.sentences[i]?.text ?? '').slice(0, 120);
  for (const id of new Set([...observed.sdks.keys(), ...[...declaredSdks.values()].filter((s) => s.via === 'name').map((s) => s.id)])) {
    const o = observed.sdks.get(id);
    const d = declaredSdks.get(id);
    const db = sdkDb.get(id)!;
    let status: MatrixStatus = o ? (d ? 'declared-observed' : 'observed-undeclared') : 'declared-unobserved';
    let sentences = d?.sentences ?? [];
    let note: Localized | null = d?.via === 'vendor' && o
      ? { zh: `政策只写了公司名称“${d.term}”，未写 SDK 名称：请核对其目的与收集的信息是否说明。`, en: `The policy names only the company ("${d.term}"), not the SDK: check that its purpose and the data it collects are stated.` }
      : null;
    if (o && !d) {
      const no = denied.get(id);
      const operator = reading?.companies.find((c) => c.role === 'operator' && c.vendor === db.vendor);
      const named = reading?.companies.find((c) => c.role !== 'operator' && c.vendor === db.vendor);
      if (no) {
        status = 'observed-denied';
        sentences = [no.sentence];
        note = { zh: `政策称不使用或不共享“${no.term}”：“${quote(no.sentence)}”，但应用中检出该 SDK。`, en: `The policy says "${no.term}" is not used or shared with ("${quote(no.sentence)}"), yet the app contains it.` };
      } else if (operator) {
        // The operator's own SDK (QQ's login in QQ) is first party: shown, not counted as an undeclared third party.
        status = 'declared-observed';
        sentences = operator.sentences;
        note = { zh: `第一方 SDK：其公司“${operator.term}”是政策所写的运营者，不属于第三方。`, en: `First-party SDK: its company ("${operator.term}") is the operator the policy names, not a third party.` };
      } else if (named) {
        sentences = named.sentences;
        const role = COMPANY_ROLE[named.role];
        note = { zh: `政策提到了公司“${named.term}”（${role.zh}），但未写明该 SDK：“${quote(named.sentences[0]!)}”。请测试人员判断。`, en: `The policy names the company "${named.term}" (${role.en}) but not this SDK: "${quote(named.sentences[0]!)}". For the tester to judge.` };
      }
    }
    rows.push({ kind: 'sdk', key: id, label: { zh: `${db.name.zh}（${db.vendor}）`, en: `${db.name.en} (${db.vendor})` }, status, beyondNecessary: false, observedBy: observedBy(o), note, evidence: evidence(sentences, o) });
  }

  const declaredPi = new Map((reading?.pi ?? []).map((p) => [p.category, p]));
  for (const cat of new Set([...observed.pi.keys(), ...declaredPi.keys()])) {
    const o = observed.pi.get(cat);
    const d = declaredPi.get(cat);
    const c = dictionary.categories[cat];
    if (!c) continue;
    let status: MatrixStatus;
    if (o) status = d?.declared ? 'declared-observed' : d?.denied ? 'observed-denied' : 'observed-undeclared';
    else if (d?.declared) status = c.observable ? 'declared-unobserved' : 'declared-unobservable';
    else continue;
    const beyond = !!appType && !!o && !necessary.has(cat);
    const sentences = (d?.mentions ?? []).filter((m) => (status === 'observed-denied' ? m.negated : !m.negated)).map((m) => m.sentence);
    const note: Localized | null = status === 'observed-denied'
      ? { zh: '政策称不收集此类信息，但观察到了访问或申请。', en: 'The policy says this is not collected, yet it was accessed or requested.' }
      : beyond && appType?.noPiNeeded
        ? { zh: `“${appType.name.zh}”无须个人信息即可使用基本功能。`, en: `A ${appType.name.en} app needs no personal information for its basic function.` }
        : null;
    rows.push({ kind: 'pi', key: cat, label: { zh: c.zh, en: c.en }, status, beyondNecessary: beyond, observedBy: observedBy(o), note, evidence: evidence(sentences, o) });
  }
  rows.sort((a, b) => Number(b.beyondNecessary) - Number(a.beyondNecessary) || ORDER[a.status] - ORDER[b.status] || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key));

  const lists = reading?.twoLists;
  const missingFields: string[] = [];
  if (lists?.collected.present) for (const [f, ok] of Object.entries(lists.collected.fields)) if (ok === false) missingFields.push(`collected.${f}`);
  if (lists?.shared.present) for (const [f, ok] of Object.entries(lists.shared.fields)) if (ok === false) missingFields.push(`shared.${f}`);
  const sdkName = (id: string): string => sdkDb.get(id)!.name.zh;
  const piLabel = (cat: string): Localized => ({ zh: dictionary.categories[cat]!.zh, en: dictionary.categories[cat]!.en });
  return {
    schemaVersion: 1,
    policy: input.policy,
    appType: appType ? { no: appType.no, name: appType.name, basicFunction: appType.basicFunction, necessaryPi: appType.necessaryPi, categories: appType.categories, noPiNeeded: appType.noPiNeeded, level: appType.level, toVerify: appType.toVerify } : null,
    rows,
    declared: {
      pi: (reading?.pi ?? []).filter((p) => p.declared).map((p) => p.category),
      sdks: [...declaredSdks.keys()].filter((id) => declaredSdks.get(id)!.via === 'name' || observed.sdks.has(id)),
      permissions: [...new Set((reading?.permissions ?? []).map((p) => p.name))],
    },
    observed: { pi: [...observed.pi.keys()].sort(), sdks: [...observed.sdks.keys()].sort(), permissions: [...observed.permissions.keys()].sort() },
    undeclaredSdks: rows.filter((r) => r.kind === 'sdk' && (r.status === 'observed-undeclared' || r.status === 'observed-denied')).map((r) => ({ name: sdkName(r.key), vendor: sdkDb.get(r.key)!.vendor, evidence: r.evidence })),
    undeclaredPi: rows.filter((r) => r.kind === 'pi' && (r.status === 'observed-undeclared' || r.status === 'observed-denied')).map((r) => ({ category: r.key, label: piLabel(r.key), evidence: r.evidence })),
    beyondNecessary: rows.filter((r) => r.beyondNecessary).map((r) => ({ category: r.key, label: piLabel(r.key), evidence: r.evidence })),
    twoLists: {
      collected: !!lists?.collected.present,
      shared: !!lists?.shared.present,
      missingFields,
      referencedOnly: [...(lists?.collected.referencedOnly ? ['collected'] : []), ...(lists?.shared.referencedOnly ? ['shared'] : [])],
    },
    withoutPurpose: (reading?.pi ?? []).filter((p) => p.declared && !p.purposeStated).map((p) => p.category),
  };
}
