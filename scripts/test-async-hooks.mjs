// Loaded into every test process by scripts/test.sh (`node --import`), before the tests: makes the
// test runner's async hook cheap, without changing what it is for.
//
// Node 20's test runner (node:internal/test_runner/harness) keeps a map from every async resource
// created under a test (each promise, timer, socket…) to that test, to find the parent of a test()
// or before() called from asynchronous code and the test an uncaught error belongs to: an `init`
// hook adds each resource, and a `destroy` hook removes it. A destroy hook makes Node follow the end
// of every promise with a weak handle the garbage collector reports (registerDestroyHook), and the
// map holds as many entries as there are live resources. Measured: 14 % of agent-backups' test
// process (4.0 of 27.7 s of CPU, its CPU profile), the largest item after PGlite in a profile of the
// whole suite, and 90 % of a loop of 2 million awaits in a test (6.0 s of CPU without this, 0.8 s
// with it).
//
// Here, the runner's map holds only the tests: each resource created under a test carries that
// test's id as a property (as AsyncLocalStorage carries its store: the resource that is running when
// another is created passes it on; no destroy hook, nothing to remove: the property goes with the
// resource), and the runner's executionAsyncId() answers the id of the test the running code belongs
// to. createHook and executionAsyncId are replaced only while node:test is loaded below (the runner
// takes both when it loads); everyone else gets Node's own. Should Node's runner be made otherwise
// (another Node version), it is left as it is. test/test-runner-hook.test.ts checks that a run
// reports the same with this as without.
import asyncHooks from 'node:async_hooks';

const { createHook, executionAsyncId, executionAsyncResource } = asyncHooks;
const owner = Symbol('abri.test-owner');

asyncHooks.createHook = function createTestRunnerHook(callbacks) {
  const { init, destroy, ...others } = callbacks ?? {};
  const runner = (new Error().stack ?? '').includes('internal/test_runner/harness');
  if (!runner || typeof init !== 'function' || typeof destroy !== 'function' || Object.keys(others).length > 0) return createHook.call(this, callbacks);
  globalThis[Symbol.for('abri.test-runner-hook')] = true;
  return createHook.call(this, {
    init(asyncId, type, triggerAsyncId, resource) {
      if (type === 'Test') {
        init(asyncId, type, triggerAsyncId, resource); // the runner maps the test to itself
        resource[owner] = asyncId;
        return;
      }
      const test = executionAsyncResource()?.[owner];
      if (test !== undefined) resource[owner] = test;
    },
  });
};
asyncHooks.executionAsyncId = function testOfExecution() {
  return executionAsyncResource()?.[owner] ?? executionAsyncId();
};
try {
  await import('node:test');
} finally {
  asyncHooks.createHook = createHook;
  asyncHooks.executionAsyncId = executionAsyncId;
}
