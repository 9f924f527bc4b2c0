// The element's tests, in real headless Chromium, against fake endpoints served by the test server.
import {esbuildPlugin} from '@web/dev-server-esbuild'
import {chromeLauncher} from '@web/test-runner-chrome'
import {CHROMIUM_ARGS, CHROMIUM_PATH} from './harness/chromium.mjs'
import {fakeEndpoints} from './test/widget/fake-endpoints.mjs'

export default {
  files: 'test/widget/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  plugins: [esbuildPlugin({ts: true, tsconfig: './tsconfig.json'})],
  middleware: [fakeEndpoints()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROMIUM_PATH,
        // js.stripe.com fails at once, as when a network or a blocker stops it, rather than hanging.
        args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP js.stripe.com ~NOTFOUND'],
        headless: true,
      },
    }),
  ],
  testFramework: {config: {timeout: 10000}},
}
