/**
 * The language the CLI speaks: `--lang zh-CN|en` if given, else the locale as POSIX orders it (LC_ALL, then
 * LC_MESSAGES, then LANG; the first one set decides): a Chinese locale (zh_CN.UTF-8, zh_TW…) gets Chinese, any
 * other (C, POSIX, en_US…) English. Every sentence the CLI prints is a pair from cli-text.ts; `say` picks one.
 * Whether the output is `--json` is kept here too: codes appear only there (see cli-errors.ts).
 */
import type { Bilingual } from '../core/bilingual.js';

export type CliLanguage = 'zh-CN' | 'en';

let current: CliLanguage = 'en';
let json = false;

export function localeLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}

/** `--lang`'s value as a language, or null when it names none the CLI speaks. */
export function languageOption(value: string): CliLanguage | null {
  if (/^zh([-_](cn|hans|sg))?$/i.test(value)) return 'zh-CN';
  if (/^en([-_][a-z]{2})?$/i.test(value)) return 'en';
  return null;
}

/**
 * Takes `--lang X` / `--lang=X` out of the arguments (any command accepts it), before `--` only.
 * Returns the other arguments and the value given (undefined when none; '' when `--lang` has no value).
 */
export function takeLangOption(argv: string[]): { args: string[]; lang: string | undefined } {
  const args: string[] = [];
  let lang: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a === '--lang') lang = argv[++i] ?? '';
    else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
    else args.push(a);
  }
  return { args, lang };
}

export function setLanguage(lang: CliLanguage): void {
  current = lang;
}

export function language(): CliLanguage {
  return current;
}

/** The sentence in the CLI's language. */
export function say(text: Bilingual): string {
  return current === 'zh-CN' ? text.zh : text.en;
}

export function setJsonOutput(on: boolean): void {
  json = on;
}

export function jsonOutput(): boolean {
  return json;
}
