// A phone's name as people see it: the manufacturer once, its own words shown (controls removed, bidi visible).
import { describe, expect, it } from 'vitest';
import { phoneName } from '../../src-preload/phone-name.js';

describe('phoneName', () => {
  it.each([
    ['OPPO', 'OPPO Find X6', 'OPPO Find X6'], ['Google', 'Pixel 7', 'Google Pixel 7'], ['samsung', 'SM-S9180', 'samsung SM-S9180'],
    ['Xiaomi', 'xiaomi 14', 'xiaomi 14'], [null, 'Pixel 7', 'Pixel 7'], ['HUAWEI', null, 'HUAWEI'], [null, null, ''],
    ['Goo\u001b[31mgle', 'Pixel\u202e\u0007 7', 'Google Pixel<U+202E> 7'], ['OP\u2066PO', null, 'OP<U+2066>PO'],
  ])('%s + %s → %s', (manufacturer, model, name) => expect(phoneName(manufacturer, model)).toBe(name));
});
