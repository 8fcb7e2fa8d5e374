/**
 * A bridge error in the user's language. Argument errors name the field and the problem in words (the core
 * reports zod's field path and its own short English problem): both are translated here where known.
 */
import type { TFunction } from 'i18next';
import type { BridgeError } from '../../src-preload/api';
import { visibleText } from '../../src-preload/visible-text';

/** The core's problem texts (schemas.ts) → i18n keys. */
const PROBLEMS: Record<string, string> = {
  'host:port': 'hostPort', 'port must be 1-65535': 'port', 'printable ASCII (input text cannot type other characters)': 'ascii',
  'a package name': 'packageName', 'a device serial': 'serial', 'a session id': 'sessionId', 'an http(s) URL': 'url',
  'text without control characters': 'plainText', 'not absolute': 'absolutePath', 'not a readable file': 'readableFile',
  unknown: 'unknownFile', 'no certificate': 'noCertificate', 'larger than 64 MiB': 'tooLarge',
};

/** The core's own template refusals (template-parser.ts, template-store.ts) → i18n keys; other template problems are the YAML reader's or the schema's words. */
const TEMPLATE_PROBLEMS: Record<string, string> = {
  'too complex to read in time': 'tooSlow', 'too much memory to read': 'tooBig', 'shipped id': 'shippedId', 'version already saved': 'versionTaken',
};

export function templateProblemText(problem: string, t: TFunction, details: BridgeError['details'] = {}): string {
  const key = TEMPLATE_PROBLEMS[problem];
  return key ? t(`templateProblem.${key}`, { ...details }) : problem;
}

export function errorText(error: BridgeError, t: TFunction): string {
  const details = error.details;
  if (error.code === 'template.invalid' && typeof details.problem === 'string') {
    return t('error.template.invalid', { ...details, problem: templateProblemText(details.problem, t, details) });
  }
  if (error.code === 'bridge.invalid-arguments' && typeof details.problem === 'string') {
    const problem = PROBLEMS[details.problem];
    const field = String(details.field ?? '').split('.').pop() || 'input';
    return t('error.bridge.invalid-arguments', {
      problem: problem ? t(`problem.${problem}`) : t('problem.generic'),
      field: t(`field.${field}`, { defaultValue: field }),
    });
  }
  // A refusal that says why in a word (details.reason) has its own sentence where the catalogue has one.
  if (typeof details.reason === 'string') {
    const reason = t(`errorReason.${details.reason}`, { ...details, defaultValue: '' });
    if (reason) return reason;
  }
  // Without a translation the core's message is shown as is: it may quote a phone or a file, so it is shown visibly.
  return t(error.messageKey, { ...details, defaultValue: visibleText(String(details.message ?? error.code)) });
}
