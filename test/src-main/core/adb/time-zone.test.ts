// The phone's zone name from persist.sys.timezone: a zone name is kept, anything else (a phone's garbage, a
// path, markup, an overlong value) is no zone.
import { describe, expect, it } from 'vitest';
import { timeZoneName } from '../../../../src-main/core/adb/time-zone.js';

describe('timeZoneName', () => {
  it('keeps IANA names and refuses the rest', () => {
    for (const zone of ['Asia/Shanghai', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT-8', 'GMT+08:00'.replace(':', '')]) expect(timeZoneName(` ${zone}\r`)).toBe(zone);
    for (const junk of [undefined, '', '../../etc/passwd', '<script>', 'Asia/Shanghai; rm -rf', 'A'.repeat(40), '/Asia']) expect(timeZoneName(junk)).toBeNull();
  });
});
