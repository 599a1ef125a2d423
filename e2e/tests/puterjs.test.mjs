// The real SDK as a Node program uses it, pointed at Hearth. Both SDK lines that Hearth serves are exercised:
// 2.6.3 (the newest) and 2.2.14 (the one of the April backend).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { origin, loadSdk, packageVersion } from './hearth.mjs';

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version} runs as a Node client pointed at Hearth`, () => {
        const puter = loadSdk(pkg);
        assert.equal(packageVersion(pkg), version);
        assert.equal(puter.env, 'nodejs');
        assert.equal(puter.APIOrigin, origin);
    });

    test(`puter.js ${version}: os.version() resolves with what /version answers`, async () => {
        const puter = loadSdk(pkg);
        const expected = await (await fetch(`${origin}/version`)).json();
        // The SDK's XHR shim never settles on a response without Content-Type: bound the wait.
        const answer = await Promise.race([
            puter.os.version(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('os.version() did not settle in 10 s')), 10_000).unref()),
        ]);
        assert.equal(answer.version, expected.version);
        assert.equal(answer.environment, expected.environment);
        assert.equal(answer.location, expected.location);
        assert.equal(answer.deploy_timestamp, expected.deploy_timestamp);
    });
}
