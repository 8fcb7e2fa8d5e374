/**
 * The clock of one capture: which year and zone its printed times are in, and where that came from. Lines
 * that print a year or a zone say so themselves; for the others the year comes from the capture (a bugreport's
 * `== dumpstate:` date, a `date` line, a full-date line earlier in the file), else from --year, else it is
 * assumed — and the reader says which. A capture that runs from December into January without years moves to
 * the next year instead of jumping back eleven months.
 */
import type { ParseContext } from '../log-line.js';

export type TimeSource = 'capture' | 'option' | 'assumed';

export interface ClockFacts {
  year: { value: number; source: TimeSource; from: string | null };
  /** Minutes east of UTC the lines without a zone were read in. */
  zone: { offsetMinutes: number; source: TimeSource; from: string | null };
  /** Some line printed no year / no zone: the year / zone above was needed to read it. */
  yearNeeded: boolean;
  zoneNeeded: boolean;
}

export class CaptureClock implements ParseContext {
  year: number;
  offsetMinutes: number;
  readonly facts: ClockFacts;
  /** The capture's own date for the year of MM-DD lines before it (a bugreport is taken after its log lines). */
  private reference: { year: number; month: number; day: number } | null = null;
  private lastMonth = 0;

  constructor(o: { year: number; yearGiven: boolean; offsetMinutes: number; offsetGiven: boolean }) {
    this.year = o.year;
    this.offsetMinutes = o.offsetMinutes;
    this.facts = {
      year: { value: o.year, source: o.yearGiven ? 'option' : 'assumed', from: o.yearGiven ? '--year' : null },
      zone: { offsetMinutes: o.offsetMinutes, source: o.offsetGiven ? 'option' : 'assumed', from: o.offsetGiven ? '--utc-offset' : null },
      yearNeeded: false, zoneNeeded: false,
    };
  }

  /** Epoch ms of a printed time. `year`/`zone` NaN when the line did not print them. */
  at(year: number, month: number, day: number, h: number, m: number, s: number, ms: number, zone: number): number {
    let y = year;
    if (Number.isNaN(y)) {
      y = this.yearOf(month, day);
      this.facts.yearNeeded = true;
    } else {
      if (this.facts.year.source === 'assumed') this.learnYear(y, month, day, 'a line that prints its year');
    }
    let off = zone;
    if (Number.isNaN(off)) {
      off = this.offsetMinutes;
      this.facts.zoneNeeded = true;
    }
    return Date.UTC(y, month - 1, day, h, m, s, ms) - off * 60_000;
  }

  private yearOf(month: number, day: number): number {
    const ref = this.reference;
    if (ref) return month > ref.month || (month === ref.month && day > ref.day) ? ref.year - 1 : ref.year;
    // December, then January: the next year (a capture over New Year), not eleven months back.
    if (this.lastMonth >= 11 && month <= 2) this.year++;
    this.lastMonth = month;
    this.facts.year.value = this.year;
    return this.year;
  }

  /**
   * The capture named its date (bugreport header, `date` output, a full-date line): MM-DD lines take their year
   * from it, unless --year was given (the tester's word stands).
   */
  learnYear(year: number, month: number, day: number, from: string): void {
    if (this.facts.year.source === 'option' || (this.facts.year.source === 'capture' && this.reference)) return;
    if (year < 1990 || year > 2200) return;
    if (from.startsWith('==')) this.reference = { year, month, day };
    if (this.facts.year.source === 'capture') return;
    this.year = year;
    this.lastMonth = month;
    this.facts.year = { value: year, source: 'capture', from };
  }

  /** The capture named its zone (a bugreport's persist.sys.timezone, a `date` line with +hhmm). */
  learnZone(offsetMinutes: number, from: string): void {
    if (this.facts.zone.source !== 'assumed') return;
    this.offsetMinutes = offsetMinutes;
    this.facts.zone = { offsetMinutes, source: 'capture', from };
  }
}

/** `+0800` / `-0530` → minutes east of UTC; NaN for anything else. */
export function zoneMinutes(s: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(s);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : NaN;
}

/** Minutes east of UTC of an IANA zone (Asia/Shanghai) at a moment, from the runtime's own zone data. */
export function ianaOffset(zone: string, atMs: number): number | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(atMs));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name === 'GMT') return 0;
    const v = zoneMinutes(name.replace(/^GMT/, ''));
    return Number.isNaN(v) ? null : v;
  } catch {
    return null;
  }
}
