import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {ROOT} from '../../harness/server-process.js'

// The component the frameworks guide shows for React is one file, built by Vite in examples/react and
// server-rendered by Next.js in examples/next (test/examples/frameworks.test.ts builds and runs both):
// the same code, so that it is known to compile as written in either.
describe('the React component of the examples', () => {
  it('is the same file in the Vite and the Next.js examples', () => {
    const read = (path: string) => readFileSync(join(ROOT, 'examples', path), 'utf8')
    assert.equal(read('next/app/VerifyIdentity.tsx'), read('react/src/VerifyIdentity.tsx'))
  })
})
