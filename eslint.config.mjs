// Type-aware linting plus the module boundaries of docs/architecture.md, enforced at import time.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const MODULES = ['auth', 'data', 'training', 'registry', 'inference', 'monitoring'];
// Folders that others reach only through their public entry (index.ts), and the modules' ports.
const ENTRY_ONLY = [...MODULES, 'ml', 'health', 'roles'];
// A module's published ports (ports.ts) may be used by modules that may not otherwise use it.
const PORTS = { data: ['./ports.ts'] };
// Who may not import whom (docs/architecture.md, "Modules, and who may use whom").
const forbidden = {
  data: ['training', 'registry', 'inference', 'monitoring'],
  registry: ['training', 'inference', 'monitoring', 'data'],
  training: ['inference', 'monitoring'],
  inference: ['training', 'monitoring', 'data'],
  ml: [...MODULES, 'common', 'config', 'database', 'events', 'redis', 'bootstrap', 'health'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { typescript: true, node: true }, 'import/parsers': { '@typescript-eslint/parser': ['.ts'] } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            ...Object.entries(forbidden).flatMap(([from, targets]) =>
              targets.map((target) => ({
                target: `./src/${from}`,
                from: `./src/${target}`,
                // A module's published port (an abstract class others implement) is not its internals.
                except: PORTS[target] ?? [],
                message: `${from} must not depend on ${target} (docs/architecture.md)`,
              })),
            ),
            // Another folder's files are its internals: import its public entry (index.ts) or its ports.ts.
            ...ENTRY_ONLY.map((m) => ({
              target: `./src/!(${m})/**`,
              from: `./src/${m}`,
              except: ['./index.ts', './ports.ts', `./${m}.entities.ts`],
              message: `import ${m} through its public entry (src/${m}/index.ts), not its internals`,
            })),
            // A module's entity list is for the database wiring only (src/database/entities.ts).
            ...MODULES.map((m) => ({
              target: `./src/!(${m}|database)/**`,
              from: `./src/${m}/${m}.entities.ts`,
              message: `use ${m}'s exported services, not its entities`,
            })),
          ],
        },
      ],
    },
  },
  {
    // No circles between files (and so between modules).
    files: ['src/**/*.ts'],
    rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/ml/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', 'pg', 'ioredis', 'bull'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.quality-spec.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
