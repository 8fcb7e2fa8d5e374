// A phone's name as people see it: the manufacturer once.
import { describe, expect, it } from 'vitest';
import { phoneName } from '../../src-preload/phone-name.js';

describe('phoneName', () => {
  it.each([
    ['OPPO', 'OPPO Find X6', 'OPPO Find X6'], ['Google', 'Pixel 7', 'Google Pixel 7'], ['samsung', 'SM-S9180', 'samsung SM-S9180'],
    ['Xiaomi', 'xiaomi 14', 'xiaomi 14'], [null, 'Pixel 7', 'Pixel 7'], ['HUAWEI', null, 'HUAWEI'], [null, null, ''],
  ])('%s + %s → %s', (manufacturer, model, name) => expect(phoneName(manufacturer, model)).toBe(name));
});
