// ESLint (flat config), type-aware through typescript-eslint. `bash scripts/check.sh` runs it with
// the suppressions file (eslint-suppressions.json): violations that existed when a rule was
// introduced are listed there per file and rule and only shrink (`npx eslint --prune-suppressions`);
// any new one fails. `bash scripts/check.sh --strict` ignores the file.
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import noSwallowedCatch from './scripts/check/eslint-no-swallowed-catch.js';

const abri = { rules: { 'no-swallowed-catch': noSwallowedCatch } };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'ui/dist/**', 'test-results/**', 'var/**', 'bench/results/**', 'ui/src/api/generated/**'] },
  { plugins: { 'import-x': importX, abri } },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'ui/src/**/*.{ts,tsx}'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'], extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // node:test's describe/it/test return promises the runner itself awaits
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // an import, a variable or a function nobody reads (arguments are kept: they name what a callback receives)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'none', caughtErrors: 'none', ignoreRestSiblings: true, varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // cycles between files (the capability layering itself is checked by scripts/check/structure.ts)
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // production code: an error is never ignored (tests may poll a service that is not up yet)
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'ui/src/**/*.{ts,tsx}'],
    rules: { 'abri/no-swallowed-catch': 'error' },
  },
  {
    files: ['scripts/check/*.js', 'eslint.config.js'],
    rules: { 'abri/no-swallowed-catch': 'error', 'no-empty': 'error' },
  },
);
