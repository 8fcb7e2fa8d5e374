// Lint: typescript-eslint's recommended rules, plus the layering rule that only the Electron shell may
// import electron (the core must run in plain Node), and the CLI's rule that it prints through its guard.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'docs/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['test/e2e/**'], rules: { 'no-empty-pattern': 'off' } },
  {
    // What the CLI prints goes through tty`…` (terminal-guard.ts), which guards every interpolated value.
    files: ['src-main/cli/**'],
    rules: { 'no-restricted-syntax': ['error', {
      selector: "CallExpression[callee.object.object.name='process'][callee.property.name='write'] > TemplateLiteral",
      message: 'Print with tty`…` from terminal-guard.ts: a value from a package, a phone, a policy or a tester must not start a line or fake a status.',
    }] },
  },
  { files: ['src-renderer/**'], plugins: { 'react-hooks': reactHooks }, rules: reactHooks.configs.recommended.rules },
  {
    files: ['src-main/core/**', 'src-main/bridge/**', 'src-main/host/**', 'src-main/cli/**', 'src-renderer/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src-main/index.ts, src-main/electron/ and src-preload/ may import electron.' }] }] },
  },
);
