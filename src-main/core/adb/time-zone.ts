/**
 * The phone's time zone as it names it (persist.sys.timezone): an IANA name, kept only when it looks like one,
 * so a report can show the phone's times in the phone's zone (its offset on each date, summer time included).
 */
export const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]{0,30}(\/[A-Za-z0-9_+-]{1,30}){0,2}$/;

/** The zone named by the phone's property, or null when it names none (absent, empty, or not a zone name). */
export function timeZoneName(prop: string | undefined): string | null {
  const zone = prop?.trim() ?? '';
  return TIME_ZONE_NAME.test(zone) ? zone : null;
}
