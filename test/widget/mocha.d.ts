// The globals @web/test-runner's Mocha gives each test file.
declare function describe(title: string, suite: () => void): void
declare function it(title: string, test: () => unknown): void
declare function before(hook: () => unknown): void
declare function beforeEach(hook: () => unknown): void
declare function afterEach(hook: () => unknown): void
