// The linter for the whole tree: typescript-eslint's recommended rules, plus the structure rules this repository
// relies on: no import cycles, type-only imports marked as such, and no import of a package the importing
// package.json does not declare. Formatting is Prettier's job (.prettierrc.json), so no style rules here.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { readdirSync } from 'node:fs';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Tests and configs of a package may also import the root's dev tools (vitest, fast-check): the rule
 * then reads both the package's package.json and the root's. Sources may import only what their package declares.
 */
const testTools = readdirSync(new URL('packages/', import.meta.url)).map((name) => ({
  files: [`packages/${name}/test/**`, `packages/${name}/*.config.ts`],
  rules: {
    'import-x/no-extraneous-dependencies': [
      'error',
      { devDependencies: true, packageDir: [import.meta.dirname, `${import.meta.dirname}/packages/${name}`] },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.nx/**',
      '.cache/**',
      'test-artifacts/**',
      'bench-results/**',
      'hunt-output/**',
      'packages/core/wasm/**',
      'packages/cli/demo/**',
      'packages/report/assets/**',
      // AssemblyScript: TypeScript syntax with its own types (i32, f64, load<T>) that typescript-eslint misreads.
      'assembly/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['packages/*/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          // The command's sources are bundled (packages/cli/scripts/bundle.mjs): what they import is a build-time
          // dependency of the `isoforest` package, whose dependencies are what the bundle leaves to Node.
          devDependencies: [
            '**/test/**',
            '**/*.config.{ts,js}',
            'benchmarks/**',
            '**/scripts/**',
            'packages/cli/src/**',
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The compiler checks what these check, and better: named and default imports of every module, typed.
      'import-x/namespace': 'off',
      'import-x/default': 'off',
      // `fc.assert(fc.property(...))` is fast-check's documented style, not a mistaken default import.
      'import-x/no-named-as-default-member': 'off',
      // Escaping control characters out of hostile text (log fields, terminal output) is this code's job.
      'no-control-regex': 'off',
      // A package's surface is what its entry names: `export *` would publish whatever a module later adds.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Re-export by name, so that the public surface is explicit.' },
      ],
    },
  },
  ...testTools,
  {
    // Code that runs in browsers: the web page, the browser loader and workers of the core, and test pages.
    files: ['packages/web/src/**', 'packages/core/src/**/*browser*.ts', 'packages/consumers/apps/vite/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Templates of the consumer tests' apps: their dependencies are installed into each temporary app.
    files: ['packages/consumers/apps/**'],
    rules: { 'import-x/no-extraneous-dependencies': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
