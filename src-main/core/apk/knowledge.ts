/**
 * The knowledge bases shipped in resources/knowledge: Android permissions (protection level, personal-
 * information category, zh/en names, app ops) and third-party SDK signatures (class prefixes, components,
 * native libraries, what each is known to collect, and a public source). Their full schema check runs in the
 * test suite (knowledge-schema.ts); loading checks only the shape a damaged install would break, with a clear error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourcesDir } from '../resources-dir.js';
import type { PermissionKb, SdkDb } from './knowledge-schema.js';

export type { PermissionKb, SdkDb } from './knowledge-schema.js';

let cache: { permissions: PermissionKb; sdks: SdkDb } | undefined;

function read<T>(dir: string, name: string, list: 'permissions' | 'sdks'): T {
  const file = join(dir, name);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`the knowledge base ${file} cannot be read (${err instanceof Error ? err.message : String(err)}); reinstall the workbench`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as Record<string, unknown>)[list])) {
    throw new Error(`the knowledge base ${file} is damaged (no "${list}" list); reinstall the workbench`);
  }
  return data as T;
}

/** The shipped bases (cached), or those in `dir`. */
export function loadKnowledge(dir?: string): { permissions: PermissionKb; sdks: SdkDb } {
  if (!dir && cache) return cache;
  const from = dir ?? join(resourcesDir(), 'knowledge');
  const kb = { permissions: read<PermissionKb>(from, 'permissions.json', 'permissions'), sdks: read<SdkDb>(from, 'sdk-signatures.json', 'sdks') };
  if (!dir) cache = kb;
  return kb;
}
