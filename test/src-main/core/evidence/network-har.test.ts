/**
 * network.har in the evidence package: built from the timeline the real session writer wrote (network events as
 * the wiring writes the proxy's reports), valid HAR 1.2 against the spec's fields, matching the timeline entry by
 * entry (tunnels as CONNECT entries with their byte counts, exchanges with headers, query, cookies, bodies
 * referenced once by hash, pages per stage, the phone's values found), listed in the manifest, verified by our
 * verifier and by openssl cms + sha256sum -c; a changed HAR fails both. A session without the proxy has no HAR.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../../../src-main/core/evidence/index.js';
import { buildHar, HAR_FILE, type Har } from '../../../../src-main/core/evidence/har.js';
import { harProblems } from '../../../../src-main/core/evidence/har-schema.js';
import { EVIDENCE_LIMITS, FlowLedger } from '../../../../src-preload/network-flows.js';
import { scanTimeline } from '../../../../src-main/core/session/timeline-chain.js';
import type { TimelineEvent } from '../../../../src-preload/monitor-events.js';
import { readEntries, TOOL, writeEntries } from '../../../support/evidence-fixtures.js';
import { exportNetworkSession, networkSession, REQUEST_BODY, RESPONSE_BODY, type NetworkSession } from '../../../support/network-evidence-session.js';
import { NetworkWriter } from '../../../support/network-events.js';
import { RecordedSession } from '../../../support/recorded-session.js';

let root: string;
let session: NetworkSession;
let pkg: string;
let entries: Map<string, Buffer>;
let har: Har;

function timeline(dir: string): Array<{ seq: number; event: TimelineEvent }> {
  const out: Array<{ seq: number; event: TimelineEvent }> = [];
  scanTimeline(join(dir, 'timeline.jsonl'), (line, seq) => out.push({ seq, event: (JSON.parse(line.toString('utf8')) as { event: TimelineEvent }).event }));
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'network-har-'));
  session = await networkSession(root);
  pkg = (await exportNetworkSession(session.dir, join(root, 'net.zip'))).path;
  entries = new Map(await readEntries(pkg));
  har = JSON.parse(entries.get(HAR_FILE)!.toString('utf8')) as Har;
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('network.har in the package', () => {
  it('is HAR 1.2 by the spec, from the workbench, listed in the manifest as network flows', () => {
    expect(harProblems(har)).toEqual([]);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: TOOL.name, version: TOOL.version });
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { files: Array<{ path: string; category: string; sha256: string; format: string }> };
    const listed = manifest.files.find((f) => f.path === HAR_FILE)!;
    expect(listed).toMatchObject({ category: 'network', format: 'HAR 1.2 (JSON)' });
    expect(listed.sha256).toBe(createHash('sha256').update(entries.get(HAR_FILE)!).digest('hex'));
    // The bodies the proxy kept are network evidence in the data list.
    const bodyFiles = manifest.files.filter((f) => f.path.startsWith('blobs/') && f.category === 'network');
    expect(bodyFiles.length).toBe(3);
  });

  it('matches the timeline: one CONNECT entry per tunnel, one entry per exchange, in time order, each naming its event', () => {
    const events = timeline(session.dir);
    const tunnels = events.filter((e) => e.event.type === 'net.connection' && e.event.via === 'connect');
    const exchanges = events.filter((e) => e.event.type === 'net.request');
    expect(har.log.entries.length).toBe(tunnels.length + exchanges.length);
    expect(har.log.entries.map((e) => e._seq).sort((a, b) => Number(a) - Number(b))).toEqual([...tunnels, ...exchanges].map((e) => e.seq).sort((a, b) => a - b));
    const starts = har.log.entries.map((e) => Date.parse(e.startedDateTime));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const entry of har.log.entries) {
      const event = events.find((e) => e.seq === entry._seq)!.event;
      expect(entry.startedDateTime).toBe(new Date(event.hostTime).toISOString());
      expect(entry._flowId).toBe('flowId' in event ? event.flowId : null);
    }
  });

  it('a tunnel never decrypted is a CONNECT entry a reader accepts, with host, SNI, SDK, app and its bytes', () => {
    const umeng = har.log.entries.find((e) => e._seq === session.seqs.umeng)!;
    expect(umeng.request).toMatchObject({ method: 'CONNECT', url: 'https://alog.umeng.com:443', headers: [{ name: 'Host', value: 'alog.umeng.com:443' }], bodySize: 0 });
    expect(new URL(umeng.request.url).host).toBe('alog.umeng.com');
    expect(umeng.response).toMatchObject({ status: 200, statusText: 'Connection established', content: { size: 0, mimeType: '' } });
    expect(umeng).toMatchObject({ _tunnel: true, _authority: 'alog.umeng.com:443', _sni: 'alog.umeng.com', _bytesUp: 2345, _bytesDown: 678, _closedSeq: session.seqs.umengClosed, _intercepted: false, time: 120 });
    expect(umeng._sdk).toMatchObject({ id: 'umeng-analytics', vendor: '友盟同欣（北京）科技有限公司' });
    expect(umeng._app).toMatchObject({ packageName: 'com.demo.shop', attribution: 'uid', uid: 10123 });
  });

  it('an exchange carries headers, query, cookies, sizes, and its bodies by reference to the blob kept once', () => {
    const post = har.log.entries.find((e) => e._seq === session.seqs.post)!;
    expect(post.request).toMatchObject({ method: 'POST', url: 'https://api.jpush.cn/v3/report?app=com.demo.shop&v=2', httpVersion: 'HTTP/1.1', bodySize: REQUEST_BODY.length });
    expect(post.request.queryString).toEqual([{ name: 'app', value: 'com.demo.shop' }, { name: 'v', value: '2' }]);
    expect(post.request.cookies).toEqual([{ name: 'sid', value: 'abc123' }, { name: 't', value: '1' }]);
    expect(post.response.cookies).toEqual([{ name: 'jid', value: '42' }]);
    expect(post.response).toMatchObject({ status: 200, statusText: 'OK', bodySize: RESPONSE_BODY.length });
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    expect(post.request.postData).toMatchObject({ mimeType: 'application/json', _file: `blobs/${sha(REQUEST_BODY)}.bin`, _sha256: sha(REQUEST_BODY) });
    expect(post.request.postData!.text).toBeUndefined();
    expect(post.response.content).toMatchObject({ size: RESPONSE_BODY.length, mimeType: 'application/octet-stream', _file: `blobs/${sha(RESPONSE_BODY)}.bin` });
    expect(post.response.content.text).toBeUndefined();
    // Referenced, not duplicated: each body is in the package once, as the file the HAR names.
    expect(entries.get(post.request.postData!._file as string)).toEqual(REQUEST_BODY);
    expect(entries.get(post.response.content._file as string)).toEqual(RESPONSE_BODY);
    expect(entries.get(HAR_FILE)!.includes(REQUEST_BODY.toString('base64'))).toBe(false);
    expect(post._pi).toEqual([{ seq: session.seqs.pi, kind: 'android-id', form: 'md5', where: 'body', host: 'api.jpush.cn', sdk: 'jpush', masked: '5d41…c592' }]);
    expect(post).toMatchObject({ _tunnel: false, _intercepted: true, connection: session.flowIds[1] });
  });

  it('pages are the stages marked, and each entry points at the stage it happened in', () => {
    expect(har.log.pages.map((p) => p.title)).toEqual(['first-launch', 'agree']);
    const [first, agree] = har.log.pages;
    expect(har.log.entries.find((e) => e._seq === session.seqs.umeng)!.pageref).toBe(first!.id);
    expect(har.log.entries.find((e) => e._seq === session.seqs.ownGet)!.pageref).toBe(agree!.id);
  });

  it('verifies with our verifier, openssl cms and sha256sum -c; a changed HAR fails both', async () => {
    const good = await verifyPackage(pkg);
    expect(good.ok, JSON.stringify(good.checks.filter((c) => !c.ok))).toBe(true);
    const dir = mkdtempSync(join(root, 'unzipped-'));
    execFileSync('unzip', ['-q', pkg, '-d', dir]);
    const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'manifest.json.p7s', '-content', 'manifest.json', '-CAfile', 'signer.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(cms.status, cms.stderr).toBe(0);
    const sums = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(sums.status, sums.stderr).toBe(0);
    expect(sums.stdout).toContain(`${HAR_FILE}: OK`);

    // One byte count changed in the HAR: the package no longer verifies, and sha256sum names the file.
    const changed = entries.get(HAR_FILE)!.toString('utf8').replace('"_bytesUp":2345', '"_bytesUp":23');
    expect(changed).not.toBe(entries.get(HAR_FILE)!.toString('utf8'));
    const tampered = join(root, 'tampered.zip');
    await writeEntries(tampered, [...entries].map(([name, data]) => [name, name === HAR_FILE ? Buffer.from(changed) : data]));
    const bad = await verifyPackage(tampered);
    expect(bad.ok).toBe(false);
    expect(bad.checks.find((c) => c.id === 'files.hashes')).toMatchObject({ ok: false });
    expect(bad.checks.find((c) => c.id === 'files.hashes')!.en).toContain(HAR_FILE);
    writeFileSync(join(dir, HAR_FILE), changed);
    const badSums = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    expect(badSums.status).not.toBe(0);
    expect(badSums.stdout).toContain(`${HAR_FILE}: FAILED`);
  });

  it('what the proxy could not carry is in the HAR and the report, in its own words', async () => {
    const r = new RecordedSession(root);
    const w = new NetworkWriter(r);
    w.proxyOn(0);
    r.firstLaunch(10);
    const seq = w.event(800, { type: 'net.refused', reason: 'upstream-failed', client: '127.0.0.1', detail: 'ulogs.umeng.com:443: getaddrinfo ENOTFOUND ulogs.umeng.com' });
    await r.s.setState('closed', null);
    await r.s.release();
    const got = new Map(await readEntries((await exportNetworkSession(r.s.dir, join(root, 'refused.zip'))).path));
    const refusedHar = JSON.parse(got.get(HAR_FILE)!.toString('utf8')) as Har;
    expect(harProblems(refusedHar)).toEqual([]);
    expect(refusedHar.log._refused).toEqual({ count: 1, first: [{ _seq: seq, startedDateTime: expect.any(String), reason: 'upstream-failed', client: '127.0.0.1', detail: 'ulogs.umeng.com:443: getaddrinfo ENOTFOUND ulogs.umeng.com' }] });
    const html = got.get('report.html')!.toString('utf8');
    expect(html).toContain('代理未能转发或拒绝的连接尝试 1 次，发起的应用和内容均未知');
    expect(html).toContain('<code>ulogs.umeng.com:443: getaddrinfo ENOTFOUND ulogs.umeng.com</code>');
    expect(html).not.toContain('No connection was seen');
  });

  it('report.html lists what left the phone per stage, relative to launch and consent', () => {
    const html = entries.get('report.html')!.toString('utf8');
    const section = html.slice(html.indexOf('<h2 id="network">'), html.indexOf('<h2>摘要'));
    expect(section).toContain('<code>alog.umeng.com:443</code>');
    expect(section).toMatch(/启动后 0\.8 秒；隐私政策被回答前 4\.2 秒/);
    expect(section).toMatch(/0\.8 s after launch; 4\.2 s before the privacy dialog was answered/);
    expect(section).toMatch(/同意隐私政策后 1\.5 秒/);
    expect(section).toContain('<code>5d41…c592</code>');
    expect(section).toContain('↑ 2.3 KB');
    expect(section).toMatch(/阶段 <code>first-launch<\/code>[\s\S]*阶段 <code>agree<\/code>/);
  });
});

describe('without the proxy', () => {
  it('a session with no network events has no network.har, and the report says the network was not recorded', async () => {
    const r = new RecordedSession(root);
    r.firstLaunch(0);
    await r.s.setState('closed', null);
    await r.s.release();
    const out = await exportNetworkSession(r.s.dir, join(root, 'plain.zip'));
    const got = new Map(await readEntries(out.path));
    expect(got.has(HAR_FILE)).toBe(false);
    const html = got.get('report.html')!.toString('utf8');
    expect(html).toContain('本会话未记录网络流量');
    expect(html).toContain('cannot say what left the phone, nor that nothing did');
    expect((await verifyPackage(out.path)).ok).toBe(true);
  });
});

describe('a HAR to hand to Chrome, Charles or Fiddler', () => {
  it('embeds the bodies: text as text, binary as base64; still HAR 1.2', () => {
    const flows = new FlowLedger(EVIDENCE_LIMITS);
    for (const { seq, event } of timeline(session.dir)) flows.add(seq, event);
    const standalone = buildHar(flows, { tool: TOOL, packageName: 'com.demo.shop', bodies: { mode: 'embed', read: (p) => readFileSync(join(session.dir, p)), maxBytes: 1 << 20 } });
    expect(harProblems(standalone)).toEqual([]);
    const post = standalone.log.entries.find((e) => e._seq === session.seqs.post)!;
    expect(post.request.postData!.text).toBe(REQUEST_BODY.toString('utf8'));
    expect(post.response.content).toMatchObject({ text: RESPONSE_BODY.toString('base64'), encoding: 'base64' });
    expect(Buffer.from(post.response.content.text!, 'base64')).toEqual(RESPONSE_BODY);
    // A budget too small for the bodies: they are left out and counted, never cut.
    const tight = buildHar(flows, { tool: TOOL, packageName: 'com.demo.shop', bodies: { mode: 'embed', read: (p) => readFileSync(join(session.dir, p)), maxBytes: 4 } });
    expect(harProblems(tight)).toEqual([]);
    expect(tight.log._omitted).toMatchObject({ bodies: 3 });
  });

  it('the schema refuses what the spec forbids (an unknown field without "_", a missing required field, a negative wait)', () => {
    const copy = (): Har => JSON.parse(JSON.stringify(har)) as Har;
    const a = copy();
    (a.log.entries[0] as unknown as Record<string, unknown>).bytesUp = 1;
    expect(harProblems(a)).toEqual([expect.stringMatching(/^log\.entries\.0\.bytesUp: .*custom fields start with "_"/)]);
    const b = copy();
    delete (b.log.entries[1]!.response as Partial<Har['log']['entries'][number]['response']>).redirectURL;
    expect(harProblems(b)[0]).toMatch(/^log\.entries\.1\.response\.redirectURL/);
    const c = copy();
    c.log.entries[0]!.timings.wait = -1;
    expect(harProblems(c)[0]).toMatch(/^log\.entries\.0\.timings\.wait/);
    const d = copy();
    d.log.entries[0]!.pageref = 'nowhere';
    expect(harProblems(d)[0]).toMatch(/pageref nowhere names no page/);
  });
});
