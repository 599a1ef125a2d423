// The real SDK, as a Node program uses it (puterjs-client-contract.md §2.2, §2.8): init() from the package's
// init.cjs runs the bundle in a sandbox, with the API and GUI origins taken from two globals. Both SDK lines
// that Hearth serves are exercised: 2.6.3 (the newest) and 2.2.14 (the one of the April backend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { origin } from './hearth.mjs';

const require = createRequire(import.meta.url);

function sdk(pkg) {
    globalThis.PUTER_API_ORIGIN = origin;
    globalThis.PUTER_ORIGIN = origin;
    globalThis.PUTER_QUIET = true;
    const { init } = require(`${pkg}/src/init.cjs`);
    return init();
}

for (const [label, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${label} runs as a Node client pointed at Hearth`, () => {
        const puter = sdk(pkg);
        assert.equal(require(`${pkg}/package.json`).version, label);
        assert.equal(puter.env, 'nodejs');
        assert.equal(puter.APIOrigin, origin);
    });

    test(`puter.js ${label}: os.version() resolves with what /version answers`, async () => {
        const puter = sdk(pkg);
        const expected = await (await fetch(`${origin}/version`)).json();
        // The SDK's XHR shim never settles on a response without Content-Type: bound the wait.
        const version = await Promise.race([
            puter.os.version(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('os.version() did not settle in 10 s')), 10_000).unref()),
        ]);
        assert.equal(version.version, expected.version);
        assert.equal(version.environment, expected.environment);
        assert.equal(version.location, expected.location);
    });
}
