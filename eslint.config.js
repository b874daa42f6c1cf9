// Lint: typescript-eslint's recommended rules plus the layering of docs/architecture.md, enforced
// as import restrictions so a wrong-way import fails CI instead of relying on review.
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message: why })) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', '.astro/**', 'node_modules/**', '.data/**', 'test-results/**', 'playwright-report/**', '**/generated/**', '**/*.tmp.*'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  layer(['protocol/**'], ['**/server/**', '**/components/**', '**/site/**', '**/labs/**', 'node:*'],
    'protocol/ is the browser↔server contract: zod only, no Node, DOM or app imports'),
  layer(['components/**'], ['**/server/**', 'node:*'], 'components/ runs in the browser: it may use protocol/ and labs types, never server/'),
  layer(['labs/**'], ['**/server/**', '**/components/**', '**/site/**'], 'labs/ is data plus its schema: no server or UI code'),
  layer(['server/emulator/**'], ['**/sessions/**', '**/terminal/**', '**/gateway/**', '**/instructor/**', '**/http/**', '**/provisioners/**', '**/components/**', '**/site/**'],
    'the emulator is a standalone library: it never knows about the sandbox server or pages'),
);
