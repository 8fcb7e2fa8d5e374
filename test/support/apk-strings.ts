/**
 * A real APK with strings of its manifest or resources rewritten in place, as a hostile developer would write
 * them (a versionName "＝1+1()", a label carrying a bidi override): the string pool keeps its layout, so the
 * new string must take the same bytes (UTF-8 pools: its character count is rewritten; UTF-16: same length).
 */
import { ZipReader } from '../../src-main/core/apk/zip-reader.js';
import { buildZip } from './zip-builder.js';

export interface StringEdit {
  entry: 'AndroidManifest.xml' | 'resources.arsc';
  from: string;
  to: string;
  encoding: 'utf8' | 'utf16le';
}

function replace(data: Buffer, e: StringEdit): Buffer {
  const from = Buffer.from(e.from, e.encoding);
  const to = Buffer.from(e.to, e.encoding);
  if (from.length !== to.length) throw new Error(`"${e.to}" must take ${from.length} bytes in ${e.encoding}, not ${to.length}`);
  const at = data.indexOf(from);
  if (at < 0) throw new Error(`"${e.from}" is not in ${e.entry}`);
  const copy = Buffer.from(data);
  to.copy(copy, at);
  // A UTF-8 pool string is preceded by its length in characters, then in bytes (one byte each below 0x80).
  if (e.encoding === 'utf8') copy[at - 2] = [...e.to].reduce((n, c) => n + (c.codePointAt(0)! > 0xffff ? 2 : 1), 0);
  return copy;
}

export function editApkStrings(apk: Buffer, edits: StringEdit[]): Buffer {
  const zip = new ZipReader(apk);
  return buildZip([...zip.entries.keys()].map((name) => ({
    name, data: edits.filter((e) => e.entry === name).reduce((data, e) => replace(data, e), zip.read(name, 64 << 20)),
  })));
}
