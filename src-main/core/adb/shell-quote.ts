/**
 * The one way to build a device shell command: every argument single-quoted for the device's sh, package
 * names validated. Nothing else in the workbench concatenates user or device text into a command line.
 */
import { WorkbenchError } from '../errors.js';

export const PACKAGE_NAME = /^[a-zA-Z][\w]*(\.[a-zA-Z][\w]*)+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new WorkbenchError('bridge.invalid-arguments', 'NUL in a shell argument', { field: 'argument' });
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

export function assertPackageName(name: string): string {
  if (!PACKAGE_NAME.test(name) || name.length > 255) {
    throw new WorkbenchError('bridge.invalid-arguments', `Not a package name: ${name.slice(0, 80)}`, { field: 'packageName', problem: 'not a package name' });
  }
  return name;
}
