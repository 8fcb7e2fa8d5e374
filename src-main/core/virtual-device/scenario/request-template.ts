/**
 * The placeholders a scenario's network request carries — `{{android-id|md5}}`, `{{package-list|base64}}`,
 * `{{imei}}` — checked when the scenario is read and filled in, when the app sends, with the phone's own values
 * written in the chosen form. This is the app's side of the encoding, written apart from the workbench's search
 * (network/pi/) on purpose: the two meet only in tests, so one cannot hide the other's mistake.
 */
import { createHash } from 'node:crypto';
import { PI_FORMS, PI_KINDS, type PiForm, type PiKind } from '../../../../src-preload/network.js';

/** `{{kind}}` or `{{kind|form}}`; spaces inside the braces are allowed. */
const PLACEHOLDER = /\{\{\s*([^|}\s]*)\s*(?:\|\s*([^}\s]*)\s*)?\}\}/g;

/** The kinds a scenario may send: every kind the phone has a value for (`other` is the tester's, not the phone's). */
export const SENDABLE_KINDS = PI_KINDS.filter((k) => k !== 'other');
export type SendableKind = Exclude<PiKind, 'other'>;

/** At most this many placeholders in one request: a scenario describes an SDK, not a load test. */
export const MAX_PLACEHOLDERS = 64;

export interface Placeholder {
  kind: SendableKind;
  form: PiForm;
}

/** The first thing wrong with the placeholders of a text, or null (for the schema's refinements). */
export function placeholderProblem(text: string): string | null {
  let count = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (++count > MAX_PLACEHOLDERS) return `more than ${MAX_PLACEHOLDERS} placeholders`;
    const [, kind = '', form = 'plain'] = m;
    if (!(SENDABLE_KINDS as readonly string[]).includes(kind)) return `unknown value "${kind}" in ${m[0]}: one of ${SENDABLE_KINDS.join(', ')}`;
    if (!(PI_FORMS as readonly string[]).includes(form)) return `unknown form "${form}" in ${m[0]}: one of ${PI_FORMS.join(', ')}`;
  }
  // A lone "}}" is ordinary JSON (nested objects end so); a "{{" that is not a placeholder is a mistake.
  if (text.replace(PLACEHOLDER, '').includes('{{')) return 'an unclosed or malformed {{…}} placeholder';
  return null;
}

/** The placeholders of a text, in order (the text was checked by placeholderProblem). */
export function placeholders(text: string): Placeholder[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ kind: m[1] as SendableKind, form: (m[2] || 'plain') as PiForm }));
}

/** A value written in a form, as an SDK would: digests and hex of its UTF-8 bytes, lower-case hex digits. */
export function writeInForm(value: string, form: PiForm): string {
  switch (form) {
    case 'plain': return value;
    case 'upper': return value.toUpperCase();
    case 'lower': return value.toLowerCase();
    case 'url-encoded': return encodeURIComponent(value);
    case 'base64': return Buffer.from(value, 'utf8').toString('base64');
    case 'hex': return Buffer.from(value, 'utf8').toString('hex');
    case 'md5': case 'sha1': case 'sha256': return createHash(form).update(value, 'utf8').digest('hex');
  }
}

/** The text with every placeholder replaced by the phone's value in its form. */
export function fillTemplate(text: string, valueOf: (kind: SendableKind) => string): string {
  return text.replace(PLACEHOLDER, (_, kind: string, form: string | undefined) => writeInForm(valueOf(kind as SendableKind), (form || 'plain') as PiForm));
}
