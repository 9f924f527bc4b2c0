import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {describe, it} from 'node:test'

describe('npm run emulator', () => {
  it('listens on EMULATOR_PORT, forwards to WEBHOOK_URL, never prints the secret and stops on SIGTERM', async () => {
    const secret = 'whsec_mainTestSecretValue1234'
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts'], {
      env: {...process.env, EMULATOR_PORT: '0', STRIPE_WEBHOOK_SECRET: secret, WEBHOOK_URL: 'http://127.0.0.1:9/hook'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    try {
      const deadline = Date.now() + 15_000
      while (!/listening on (http:\/\/\S+)/.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no start-up line:\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const url = /listening on (http:\/\/\S+)/.exec(output)![1]
      const res = await fetch(`${url}/v1/identity/verification_sessions`, {
        method: 'POST',
        headers: {Authorization: 'Bearer sk_test_main'},
        body: new URLSearchParams({type: 'document'}),
      })
      assert.equal(res.status, 200)
      assert.match(output, /http:\/\/127\.0\.0\.1:9\/hook/)
      assert.match(output, /whsec_…1234 \(from STRIPE_WEBHOOK_SECRET\)/)
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      assert.equal(code, 0)
      assert.ok(!output.includes(secret), 'the secret was printed')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
