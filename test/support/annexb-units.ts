/**
 * Test helper: an H.264 Annex B elementary stream (as ffmpeg `-f h264` writes it) split into access units, the way
 * the host's parser hands them to consumers (SPS/PPS in front of a key frame), with the format from the SPS.
 */
export interface TestUnit {
  key: boolean;
  data: Buffer;
}

/** NAL units with their start codes: [offset of start code, offset of payload, end). */
function nals(buf: Buffer): Array<{ start: number; payload: number; end: number }> {
  const out: Array<{ start: number; payload: number; end: number }> = [];
  let i = 0;
  const starts: Array<{ start: number; payload: number }> = [];
  while (i + 3 <= buf.length) {
    if (buf[i] === 0 && buf[i + 1] === 0 && buf[i + 2] === 1) {
      const start = i > 0 && buf[i - 1] === 0 ? i - 1 : i;
      starts.push({ start, payload: i + 3 });
      i += 3;
    } else i++;
  }
  for (let k = 0; k < starts.length; k++) out.push({ ...starts[k]!, end: k + 1 < starts.length ? starts[k + 1]!.start : buf.length });
  return out;
}

export function splitAccessUnits(buf: Buffer): { units: TestUnit[]; codec: string } {
  const units: TestUnit[] = [];
  let cur: Array<{ start: number; end: number }> = [];
  let key = false;
  let sawVcl = false;
  let codec = '';
  const flush = (): void => {
    if (cur.length && sawVcl) units.push({ key, data: Buffer.concat(cur.map((c) => buf.subarray(c.start, c.end))) });
    cur = [];
    key = false;
    sawVcl = false;
  };
  for (const n of nals(buf)) {
    const type = buf[n.payload]! & 0x1f;
    const vcl = type === 1 || type === 5;
    const firstSlice = vcl && (buf[n.payload + 1]! & 0x80) !== 0;
    if (sawVcl && (!vcl || firstSlice) && type !== 12) flush();
    if (type === 7 && !codec) codec = `avc1.${buf.subarray(n.payload + 1, n.payload + 4).toString('hex')}`;
    if (type === 5) key = true;
    if (vcl) sawVcl = true;
    cur.push({ start: n.start, end: n.end });
  }
  flush();
  return { units, codec };
}
