/**
 * The words of every error, in Chinese and English, and the one rule that turns an error into a sentence.
 * The catalogue (errors.<lang>.json: error.*, errorReason.*, problem.*, field.*, templateProblem.*) is shared:
 * the renderer merges it into its i18n resources and looks keys up with i18next; the CLI looks them up here.
 * Both go through `errorSentence`, so a refusal reads the same in the window and in the terminal.
 */
import en from './errors.en.json';
import zh from './errors.zh-CN.json';

export type Language = 'zh-CN' | 'en';

/** An error as it crosses the bridge (BridgeError in errors.ts and api.ts). */
export interface ErrorData {
  code: string;
  messageKey: string;
  details: Record<string, string | number | boolean | null>;
}

export const ERROR_CATALOGUE: Record<Language, typeof en> = { en, 'zh-CN': zh };

/** A catalogue lookup with values put in: the sentence, or undefined when the key has none. */
export type Lookup = (key: string, values: Record<string, unknown>) => string | undefined;

/** The core's problem texts (schemas.ts) → problem.* keys. */
const PROBLEMS: Record<string, string> = {
  'host:port': 'hostPort', 'port must be 1-65535': 'port', 'printable ASCII (input text cannot type other characters)': 'ascii',
  'a package name': 'packageName', 'a device serial': 'serial', 'a session id': 'sessionId', 'an http(s) URL': 'url',
  'text without control characters': 'plainText', 'not absolute': 'absolutePath', 'not a readable file': 'readableFile',
  unknown: 'unknownFile', 'no certificate': 'noCertificate', 'larger than 64 MiB': 'tooLarge',
  'a Redis URL': 'redisUrl', 'a farm name': 'farmName', 'a job id': 'jobId', 'each phone once': 'eachOnce', 'a phone or an analysis': 'nothingOffered', 'a folder': 'folder',
};

/** The core's own template refusals (template-parser.ts, template-store.ts) → templateProblem.* keys; other template problems are the YAML reader's or the schema's words. */
const TEMPLATE_PROBLEMS: Record<string, string> = {
  'too complex to read in time': 'tooSlow', 'too much memory to read': 'tooBig', 'shipped id': 'shippedId', 'version already saved': 'versionTaken',
};

export function templateProblemSentence(problem: string, lookup: Lookup, details: ErrorData['details'] = {}): string {
  const key = TEMPLATE_PROBLEMS[problem];
  return (key && lookup(`templateProblem.${key}`, { ...details })) || problem;
}

/**
 * An error in words. `shown` makes the core's own message safe to show where the catalogue has no sentence
 * (it may quote a phone or a file): the renderer shows it visibly, the CLI through its terminal guard.
 */
export function errorSentence(error: ErrorData, lookup: Lookup, shown: (text: string) => string): string {
  const details = error.details;
  if (error.code === 'template.invalid' && typeof details.problem === 'string') {
    return lookup('error.template.invalid', { ...details, problem: templateProblemSentence(details.problem, lookup, details) }) ?? shown(details.problem);
  }
  if (error.code === 'bridge.invalid-arguments' && typeof details.problem === 'string') {
    const problem = PROBLEMS[details.problem];
    const field = String(details.field ?? '').split('.').pop() || 'input';
    const sentence = lookup('error.bridge.invalid-arguments', {
      problem: (problem && lookup(`problem.${problem}`, {})) || lookup('problem.generic', {}),
      field: lookup(`field.${field}`, {}) ?? field,
    });
    if (sentence) return sentence;
  }
  // An argument refusal that names no field problem (the core's own sentence says what is wrong): its words.
  if (error.code === 'bridge.invalid-arguments' && typeof details.problem !== 'string') return shown(String(details.message ?? error.code));
  // A refusal that says why in a word (details.reason) has its own sentence where the catalogue has one.
  if (typeof details.reason === 'string') {
    const reason = lookup(`errorReason.${details.reason}`, { ...details });
    if (reason) return reason;
  }
  return lookup(error.messageKey, { ...details }) ?? shown(String(details.message ?? error.code));
}

/**
 * `{{name}}` in a catalogue sentence, each value made safe by `escape`. A sentence whose value is missing is no
 * sentence (undefined): the error's own message is said instead of words with a hole in them.
 */
export function catalogueLookup(lang: Language, escape: (value: unknown) => string): Lookup {
  return (key, values) => {
    let node: unknown = ERROR_CATALOGUE[lang];
    for (const part of key.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    if (typeof node !== 'string') return undefined;
    let complete = true;
    const sentence = node.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_, name: string) => {
      if (values[name] === undefined || values[name] === null) complete = false;
      return escape(values[name] ?? '');
    });
    return complete ? sentence : undefined;
  };
}
