// A lone APK hashed by the caller while its analysis child reads it (the CLI's path): the same hashes as
// sha256sum, md5sum and `openssl dgst -sm3`; the same analysis as when the child hashes; a file that changes
// between the two reads is refused, not reported with hashes of other bytes; the child's environment leaves
// out the CA bundle Node would parse at its start.
import { execFileSync } from 'node:child_process';
import { copyFileSync, appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_CHANGED, analyzeFiles, childEnv } from '../../../../src-main/core/apk/analysis-pool.js';
import { fileHashes, hashFile } from '../../../../src-main/core/apk/file-hashes.js';
import { TEST_APKS } from '../../../support/virtual-phone.js';

const apk = TEST_APKS.uiautomator2;
const tool = (cmd: string, ...args: string[]): string => execFileSync(cmd, [...args, apk], { encoding: 'utf8' });

describe('hashes computed by the caller', () => {
  it('hashFile gives what sha256sum, md5sum and openssl dgst -sm3 give, and fileHashes on the bytes', async () => {
    const h = await hashFile(apk);
    expect(h.sha256).toBe(tool('sha256sum').split(' ')[0]);
    expect(h.md5).toBe(tool('md5sum').split(' ')[0]);
    expect(h.sm3).toBe(tool('openssl', 'dgst', '-sm3').trim().split('= ')[1]);
    expect(fileHashes(readFileSync(apk))).toEqual(h);
  });

  it('hashFile stops when told to', async () => {
    const stop = new AbortController();
    stop.abort();
    await expect(hashFile(apk, stop.signal)).rejects.toThrow(/abort/i);
  });

  it('one APK analysed with the caller hashing equals the analysis with the child hashing', async () => {
    const [byChild] = await analyzeFiles([apk]);
    const [byCaller] = await analyzeFiles([apk], { hashInCaller: true });
    expect(byCaller!.ok && byChild!.ok).toBe(true);
    if (!byCaller!.ok || !byChild!.ok) return;
    expect(byCaller!.analysis).toEqual(byChild!.analysis);
    expect(byCaller!.analysis.file.sha256).toBe(tool('sha256sum').split(' ')[0]);
  }, 60_000);

  it('a file that changes between the child reading it and the caller hashing it is refused', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'caller-hashes-')), 'growing.apk');
    copyFileSync(apk, copy);
    let childHasRead!: () => void;
    const read = new Promise<void>((r) => (childHasRead = r));
    const [outcome] = await analyzeFiles([copy], {
      // The child sends 'zip' after reading the whole file; then the file grows (a copy still being written).
      onProgress: (_p, step) => step === 'zip' && childHasRead(),
      hashInCaller: async (path, signal) => {
        await read;
        appendFileSync(path, Buffer.from('more bytes'));
        return hashFile(path, signal);
      },
    });
    expect(outcome!.ok).toBe(false);
    if (outcome!.ok) return;
    expect(outcome!.error.details.message).toBe(FILE_CHANGED);
  }, 60_000);
});

describe("the analysis child's environment", () => {
  it('is the caller\'s, as plain node, without NODE_EXTRA_CA_CERTS', () => {
    const env = childEnv({ PATH: '/usr/bin', NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', LANG: 'zh_CN.UTF-8' });
    expect(env).toEqual({ PATH: '/usr/bin', LANG: 'zh_CN.UTF-8', ELECTRON_RUN_AS_NODE: '1' });
  });
});
