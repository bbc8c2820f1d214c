// Type-aware linting plus the module boundaries of DESIGN.md, enforced at import time.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const MODULES = ['auth', 'data', 'training', 'registry', 'inference', 'monitoring'];
// Ports a module publishes for others to implement (paths relative to the module).
const PORTS = { data: ['./dataset-usage.ts'] };
// Who may not import whom (DESIGN.md "Modules, and who may use whom").
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
    settings: { 'import/resolver': { typescript: true, node: true } },
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
                message: `${from} must not depend on ${target} (DESIGN.md)`,
              })),
            ),
            // Another module's entities are its private storage: go through its exported services.
            ...MODULES.map((m) => ({
              target: `./src/!(${m})/**`,
              from: `./src/${m}/**/*.entity.ts`,
              message: `use ${m}'s exported services, not its entities`,
            })),
          ],
        },
      ],
    },
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
