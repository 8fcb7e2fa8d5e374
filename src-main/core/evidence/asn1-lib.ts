/**
 * pkijs and asn1js, loaded the first time evidence is signed, verified or an identity made: together they are
 * the largest code the workbench has (~850 KB bundled, ~25-35 ms to load), and serving the UI or starting a
 * command should not wait for them.
 */
import type * as Asn1 from 'asn1js';
import type * as Pki from 'pkijs';

export interface Asn1Lib {
  asn1js: typeof Asn1;
  pkijs: typeof Pki;
}

let lib: Promise<Asn1Lib> | null = null;

export function asn1Lib(): Promise<Asn1Lib> {
  lib ??= Promise.all([import('asn1js'), import('pkijs')]).then(([asn1js, pkijs]) => ({ asn1js, pkijs }));
  return lib;
}
