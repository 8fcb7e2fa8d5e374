// The fast demo's clock: the phone's waits run `factor` times faster, and a change of factor (the explore stage runs
// the phone at real speed) re-times every wait under way by the phone time it has left.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CompressedClock } from '../../../../src-main/core/virtual-device/android/clock.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CompressedClock', () => {
  it('runs a wait factor times faster, with real timestamps', () => {
    const clock = new CompressedClock(40);
    const fired = vi.fn();
    const t0 = clock.now();
    clock.setTimer(fired, 10_000);
    vi.advanceTimersByTime(249);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
    expect(clock.now() - t0).toBe(250);
  });

  it('a wait under way keeps the phone time it has left when the factor changes, both ways', () => {
    const clock = new CompressedClock(40);
    const slowed = vi.fn();
    const sped = vi.fn();
    clock.setTimer(slowed, 10_000);
    vi.advanceTimersByTime(125); // 5 s of the phone's time gone, 5 s left
    clock.setFactor(1);
    expect(clock.factor).toBe(1);
    clock.setTimer(sped, 8_000);
    vi.advanceTimersByTime(4_999);
    expect(slowed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(slowed).toHaveBeenCalledOnce();
    // 5 s of the 8 s gone at real speed; the 3 s left take 75 ms at 40×.
    clock.setFactor(40);
    vi.advanceTimersByTime(74);
    expect(sped).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(sped).toHaveBeenCalledOnce();
  });

  it('a wait cleared after a change of factor never fires; sleep resolves on the phone time', async () => {
    const clock = new CompressedClock(40);
    const cleared = vi.fn();
    const id = clock.setTimer(cleared, 1_000);
    clock.setFactor(2);
    clock.clearTimer(id);
    vi.advanceTimersByTime(10_000);
    expect(cleared).not.toHaveBeenCalled();
    const woke = vi.fn();
    void clock.sleep(1_000).then(woke);
    await vi.advanceTimersByTimeAsync(499);
    expect(woke).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toHaveBeenCalledOnce();
  });
});
