// The recommended rules of ESLint and typescript-eslint, without type information so that a run
// stays quick; the types are checked by `tsc --noEmit` (npm run typecheck).
import js from '@eslint/js'
import {defineConfig, globalIgnores} from 'eslint/config'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  globalIgnores([
    // Built, installed or generated.
    '**/node_modules/',
    '**/dist/',
    '**/lib/',
    '**/custom-elements.json',
    'runtimes/widget-build.js',
    '**/.wrangler/',
    'examples/*/.next/',
    'examples/*/.angular/',
    'bench/results/',
    '**/test-results/',
    // Copied in from elsewhere and kept as published.
    '**/vendor/',
    '**/*.min.js',
  ]),
  {
    files: ['**/*.{ts,mts,cts,tsx,js,mjs,cjs}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_'}],
      // `interface GlobalEventHandlersEventMap extends IdentityVerifyEventMap {}` adds the element's
      // events to a global interface, which only an interface merging with it can do.
      '@typescript-eslint/no-empty-object-type': ['error', {allowInterfaces: 'with-single-extends'}],
    },
  },
  {
    // Node scripts and configs (TypeScript files need no globals: the compiler checks their names).
    files: ['**/*.{js,mjs,cjs}'],
    ignores: ['demo/assets/**'],
    languageOptions: {globals: globals.node},
  },
  {
    // Scripts the demo pages load as they are, in the browser.
    files: ['demo/assets/**/*.js'],
    languageOptions: {globals: globals.browser},
  },
)
