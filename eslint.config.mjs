import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', '.artifacts/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Typed rules need the program: tests and src through tsconfig.test.json, the page through its own.
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './webview-ui/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Tests read servers' JSON and recorded traffic as loosely typed values on purpose; their
    // assertions are what catch a wrong shape. Their messages print whatever value came, and their
    // probes patch prototypes, keeping the original methods to call with the right `this`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', Buffer: 'readonly',
        AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // A caught value is passed on as it came.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // An async function without await is how an implementation of a promise-returning interface
      // turns its throws into rejections (prompt validators, key holders, message handlers).
      '@typescript-eslint/require-await': 'off',
      // `import vscode = require('vscode')`: esbuild turns `import * as vscode` of an external
      // CommonJS module into a copy of every property of the API as a getter, once per importing
      // file (over 500 KB of heap in the activation bundle alone); this form is a plain require.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^vscode$'] }],
      'no-restricted-syntax': ['error', { selector: "ImportDeclaration[source.value='vscode'][importKind='value']", message: "Use `import vscode = require('vscode')`: see the no-require-imports note above." }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/services/**/*.ts', 'src/profiles/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core is plain Node: no vscode import.' }],
          // Nor through the layers that use vscode.
          patterns: [{ group: ['**/vscode/*', '**/profileManager/*', '**/container', '**/actions', '**/api', '**/extension'], message: 'The core is plain Node: no import from the layers that use vscode.' }],
        },
      ],
    },
  },
  {
    // Imported by the extension host and by the Profile Manager page alike.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/shared runs in the page too: no vscode import.' }],
          patterns: [
            { group: ['node:*'], message: 'src/shared runs in the page too: no Node modules.' },
            { group: ['../*'], message: 'src/shared runs in the page too: it imports only from src/shared.' },
          ],
        },
      ],
    },
  },
  // Build scripts and the fixture extensions are plain JavaScript outside any tsconfig.
  { files: ['**/*.mjs', '**/*.cjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  // mocha loads a reporter given by path with require().
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
