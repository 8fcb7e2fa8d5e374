/**
 * A minimal DEX with the given classes: header, string_ids, type_ids and class_defs — exactly the tables the
 * workbench reads. Enough to test SDK detection by class name without shipping anybody's code.
 */
export function buildDex(descriptors: string[]): Buffer {
  const n = descriptors.length;
  const headerSize = 0x70;
  const stringIdsOff = headerSize;
  const typeIdsOff = stringIdsOff + n * 4;
  const classDefsOff = typeIdsOff + n * 4;
  const dataOff = classDefsOff + n * 32;
  const strings = descriptors.map((d) => Buffer.concat([Buffer.from([d.length & 0x7f]), Buffer.from(d, 'utf8'), Buffer.from([0])]));
  const out = Buffer.alloc(dataOff + strings.reduce((a, s) => a + s.length, 0));
  out.write('dex\n035\0', 0, 'latin1');
  out.writeUInt32LE(out.length, 0x20);
  out.writeUInt32LE(headerSize, 0x24);
  out.writeUInt32LE(0x12345678, 0x28);
  out.writeUInt32LE(n, 0x38);
  out.writeUInt32LE(stringIdsOff, 0x3c);
  out.writeUInt32LE(n, 0x40);
  out.writeUInt32LE(typeIdsOff, 0x44);
  out.writeUInt32LE(n, 0x60);
  out.writeUInt32LE(classDefsOff, 0x64);
  let p = dataOff;
  strings.forEach((s, i) => {
    out.writeUInt32LE(p, stringIdsOff + i * 4);
    out.writeUInt32LE(i, typeIdsOff + i * 4);
    out.writeUInt32LE(i, classDefsOff + i * 32);
    s.copy(out, p);
    p += s.length;
  });
  return out;
}
