// Lint: typescript-eslint's recommended + type-aware rules over everything we
// write (src, test, scripts, bench, media). Zero warnings: every rule is an
// error, and `npm run lint` (a stage of `npm test`) fails on any finding.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'out/**', 'test-results/**', '.vscode-test/**', '.tmp/**', 'sample-snapshot/**', 'eval/reports/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused parameters are dead code too; a leading underscore marks one a signature needs.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'all', argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // node:test and mocha collect test() / it() / describe() themselves; their promises are not ours to await.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [
          { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          { from: 'package', package: 'mocha', name: ['describe', 'it', 'suite', 'test'] },
        ],
      }],
      // An async method that implements a Promise-returning interface (a provider, a fake in a test) need not await.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-constant-binary-expression': 'error',
      'no-self-compare': 'error',
      'no-unneeded-ternary': 'error',
    },
  },
  {
    // Tests print cells (string | number | JSON) in assertion messages; the default
    // stringification is what a failing message wants there.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
  {
    // Plain JavaScript (build and test launchers): the same rules without type information.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    // CommonJS by definition.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Scripts the UI harness loads into a browser page.
    files: ['test/ui/harness/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
