/**
 * A bridge error in the user's language: the core's one rule (src-main/core/i18n/error-text.ts, shared with the
 * CLI) looked up through i18next, whose resources hold the core's error catalogue (see i18n.ts). Argument
 * errors name the field and the problem in words; a message without a sentence is shown visibly.
 */
import type { TFunction } from 'i18next';
import type { BridgeError } from '../../src-preload/api';
import { visibleText } from '../../src-preload/visible-text';
import { errorSentence, templateProblemSentence, type Lookup } from '../../src-main/core/i18n/error-text';

function lookup(t: TFunction): Lookup {
  return (key, values) => t(key, { ...values, defaultValue: '' }) || undefined;
}

export function templateProblemText(problem: string, t: TFunction, details: BridgeError['details'] = {}): string {
  return templateProblemSentence(problem, lookup(t), details);
}

export function errorText(error: BridgeError, t: TFunction): string {
  return errorSentence(error, lookup(t), visibleText);
}
