/**
 * manifest.json of an evidence package: the tool, the session (app, phone, tester, times), the signer, every
 * file with its size, SHA-256 (and SM3 with the national algorithms), category and format for the data list
 * (电子数据清单), the timeline's head and count, and the SHA-256 of SHA256SUMS. It is what the CMS signature
 * covers; the verifier reads it with these limits.
 */
import { z } from 'zod';
import { builtOnce } from '../built-once.js';
import { sessionMetaSchema } from '../session/session-meta.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.json.p7s';
export const TIMESTAMP = 'manifest.json.p7s.tsr';
export const SM2_SIGNATURE = 'manifest.json.sm2.sig';
export const SM2_PUBLIC_KEY = 'signer-sm2.pem';
export const SIGNER_CERTS = 'signer.pem';
export const SUMS = 'SHA256SUMS';
/** Files outside manifest.json: the signatures over it and the certificates to check them with. */
export const SIGNATURE_FILES = [MANIFEST, SIGNATURE, TIMESTAMP, SM2_SIGNATURE, SM2_PUBLIC_KEY, SIGNER_CERTS, SUMS] as const;
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
export const MAX_FILES = 100_000;

export const FILE_CATEGORIES = {
  'session-metadata': { zh: '会话信息', en: 'Session metadata' },
  timeline: { zh: '事件时间线（哈希链）', en: 'Event timeline (hash-chained)' },
  'device-log': { zh: '设备原始日志', en: 'Raw device log' },
  screenshot: { zh: '屏幕截图', en: 'Screenshot' },
  'ui-dump': { zh: '界面结构', en: 'UI structure dump' },
  'apk-analysis': { zh: '安装包分析', en: 'APK analysis' },
  'install-output': { zh: '安装输出', en: 'Install output' },
  attachment: { zh: '附件', en: 'Attachment' },
  network: { zh: '网络外发记录', en: 'Network flows' },
  video: { zh: '屏幕录像', en: 'Screen recording' },
  findings: { zh: '检测结果', en: 'Findings' },
  report: { zh: '检测报告', en: 'Report' },
  instructions: { zh: '验证说明', en: 'Verification instructions' },
} as const;
export type FileCategory = keyof typeof FILE_CATEGORIES;

/** manifest.json's schema, built when the first package is verified. */
export const manifestSchema = builtOnce(() => {
  const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
  const manifestFileSchema = z.object({
    path: z.string().min(1).max(300).regex(/^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[\w./-]+$/, 'a relative path without .. or odd characters'),
    size: z.number().int().min(0),
    sha256,
    sm3: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    category: z.enum(Object.keys(FILE_CATEGORIES) as [FileCategory, ...FileCategory[]]),
    format: z.string().max(100),
  }).strict();

  return z.object({
    format: z.literal('apprights-evidence'),
    formatVersion: z.literal(1),
    tool: z.object({ name: z.string().max(100), version: z.string().max(50) }).strict(),
    createdAt: z.string().max(40),
    complete: z.boolean(),
    session: sessionMetaSchema(),
    signer: z.object({ subject: z.string().max(2000), fingerprint: sha256, selfAsserted: z.boolean() }).strict(),
    files: z.array(manifestFileSchema).max(MAX_FILES),
    timeline: z.object({ path: z.literal('timeline.jsonl'), head: sha256, count: z.number().int().min(0) }).strict(),
    sha256sums: sha256,
    national: z.object({ sm2PublicKey: z.string().regex(/^04[0-9a-f]{128}$/i), distinguishingId: z.literal('1234567812345678') }).strict().nullable(),
    trustedTime: z.object({ tsaUrl: z.string().max(2000).nullable(), note: z.string().max(2000) }).strict(),
  }).strict();
});
export type Manifest = z.infer<ReturnType<typeof manifestSchema>>;
export type ManifestFile = Manifest['files'][number];

/** SHA256SUMS in coreutils format (two spaces: text mode), one line per file, in manifest order. */
export function sha256sums(files: ManifestFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join('');
}
