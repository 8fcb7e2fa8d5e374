/**
 * resources.arsc, just enough to resolve string resources the manifest points at (the app label and other
 * names) for the default configuration, zh-CN and en. Chunk sizes, offsets and indices are bounds-checked;
 * references are followed at most a few hops.
 */
import { WorkbenchError } from '../errors.js';
import { RES_STRING_POOL_TYPE, chunks, readStringPool } from './axml.js';

const RES_TABLE_TYPE = 0x0002;
const RES_TABLE_PACKAGE_TYPE = 0x0200;
const RES_TABLE_TYPE_TYPE = 0x0201;
const FLAG_SPARSE = 0x01;
const FLAG_OFFSET16 = 0x02;

export type ResourceLocale = 'default' | 'zh-CN' | 'en';

interface ValueRef { dataType: number; data: number }

function bad(reason: string): never {
  throw new WorkbenchError('apk.refused', `resources.arsc: ${reason}`);
}

export class ResourceTable {
  private strings: string[] = [];
  /** resId → locale → value */
  private values = new Map<number, Map<string, ValueRef>>();

  constructor(buf: Buffer) {
    if (buf.length < 12 || buf.readUInt16LE(0) !== RES_TABLE_TYPE) bad('not a resource table');
    const total = Math.min(buf.readUInt32LE(4), buf.length);
    for (const c of chunks(buf, buf.readUInt16LE(2), total, 'resources.arsc')) {
      if (c.type === RES_STRING_POOL_TYPE) this.strings = readStringPool(buf, c.start, c.end);
      else if (c.type === RES_TABLE_PACKAGE_TYPE) this.readPackage(buf, c.start, c.end);
    }
  }

  private readPackage(buf: Buffer, start: number, end: number): void {
    const pkgId = buf.readUInt32LE(start + 8);
    for (const c of chunks(buf, start + buf.readUInt16LE(start + 2), end, 'resources.arsc package')) {
      if (c.type === RES_TABLE_TYPE_TYPE && c.headerSize >= 20) this.readType(buf, c.start, c.end, c.headerSize, pkgId);
    }
  }

  private readType(buf: Buffer, start: number, end: number, headerSize: number, pkgId: number): void {
    const typeId = buf[start + 8]!;
    const flags = buf[start + 9]!;
    const entryCount = buf.readUInt32LE(start + 12);
    const entriesStart = buf.readUInt32LE(start + 16);
    const config = start + 20;
    const lang = buf.toString('latin1', config + 8, config + 10).replace(/\0/g, '');
    const country = buf.toString('latin1', config + 10, config + 12).replace(/\0/g, '');
    const locale = lang === '' ? 'default' : country ? `${lang}-${country}` : lang;
    const offsetsAt = start + headerSize;
    const wide = !(flags & FLAG_SPARSE) && !(flags & FLAG_OFFSET16);
    if (offsetsAt + entryCount * (wide ? 4 : 4) > end && !(flags & FLAG_OFFSET16)) bad('entry offsets run past their chunk');
    const entries = start + entriesStart;
    const take = (index: number, offset: number): void => {
      const e = entries + offset;
      if (e + 8 > end) return;
      const entryFlags = buf.readUInt16LE(e + 2);
      if (entryFlags & 0x0001) return; // complex (bag) entries hold no single string
      const v = e + buf.readUInt16LE(e);
      if (v + 8 > end) return;
      const resId = ((pkgId & 0xff) << 24) | (typeId << 16) | index;
      let byLocale = this.values.get(resId >>> 0);
      if (!byLocale) this.values.set(resId >>> 0, (byLocale = new Map()));
      byLocale.set(locale, { dataType: buf[v + 3]!, data: buf.readUInt32LE(v + 4) });
    };
    for (let i = 0; i < entryCount; i++) {
      if (flags & FLAG_SPARSE) {
        if (offsetsAt + i * 4 + 4 > end) break;
        take(buf.readUInt16LE(offsetsAt + i * 4), buf.readUInt16LE(offsetsAt + i * 4 + 2) * 4);
      } else if (flags & FLAG_OFFSET16) {
        if (offsetsAt + i * 2 + 2 > end) break;
        const o = buf.readUInt16LE(offsetsAt + i * 2);
        if (o !== 0xffff) take(i, o * 4);
      } else {
        const o = buf.readUInt32LE(offsetsAt + i * 4);
        if (o !== 0xffffffff) take(i, o);
      }
    }
  }

  /** The string a resource resolves to in a locale (falling back to the default configuration). */
  resolveString(resId: number, locale: ResourceLocale = 'default', depth = 0): string | null {
    if (depth > 8) return null;
    const byLocale = this.values.get(resId >>> 0);
    if (!byLocale) return null;
    const wanted = locale === 'zh-CN' ? ['zh-CN', 'zh', 'default'] : locale === 'en' ? ['en', 'en-US', 'default'] : ['default'];
    const v = wanted.map((l) => byLocale.get(l)).find(Boolean) ?? (locale === 'default' ? byLocale.values().next().value : undefined);
    if (!v) return null;
    if (v.dataType === 0x03) return this.strings[v.data] ?? null;
    if (v.dataType === 0x01) return this.resolveString(v.data, locale, depth + 1);
    return null;
  }
}
