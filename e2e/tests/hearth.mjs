// Where the Hearth under test serves, and how the tests load the SDK. The Maven module `e2e` boots a Hearth
// and passes its origin in HEARTH_URL; to run these files by hand against a running Hearth:
//   HEARTH_URL=http://127.0.0.1:4100 node --test tests/
import { createRequire } from 'node:module';

export const origin = (() => {
    const url = process.env.HEARTH_URL;
    if (!url) {
        throw new Error('HEARTH_URL is not set: start Hearth and set HEARTH_URL to its origin (e.g. http://127.0.0.1:4100)');
    }
    return url.replace(/\/+$/, '');
})();

/**
 * The S3 server's origin when the Hearth under test keeps file content in S3 (the e2e module's run on s3rver sets
 * HEARTH_S3_ENDPOINT), else null: tests that see where bytes go (presigned uploads) check the right place.
 */
export const s3Endpoint = process.env.HEARTH_S3_ENDPOINT ? process.env.HEARTH_S3_ENDPOINT.replace(/\/+$/, '') : null;

const require = createRequire(import.meta.url);

/**
 * Loads puter.js from the npm package `pkg` the way a Node program does: `init()` from the package's init.cjs
 * runs the bundle in a sandbox whose globals are copied from ours, with the API and GUI origins taken from
 * PUTER_API_ORIGIN and PUTER_ORIGIN (puterjs-client-contract.md §2.2, §2.8).
 *
 * The SDK starts background work of its own (socket.io reconnection timers); its timers are handed out
 * unref'd, so that they do not keep a test file's process alive once its tests are done. Sockets and
 * requests in flight still do.
 */
export function loadSdk(pkg) {
    const saved = { setTimeout: globalThis.setTimeout, setInterval: globalThis.setInterval };
    const unref = (schedule) => (...args) => {
        const timer = schedule(...args);
        timer?.unref?.();
        return timer;
    };
    globalThis.PUTER_API_ORIGIN = origin;
    globalThis.PUTER_ORIGIN = origin;
    globalThis.PUTER_QUIET = true;
    globalThis.setTimeout = unref(saved.setTimeout);
    globalThis.setInterval = unref(saved.setInterval);
    try {
        const { init } = require(`${pkg}/src/init.cjs`);
        return init();
    } finally {
        Object.assign(globalThis, saved);
    }
}

export function packageVersion(pkg) {
    return require(`${pkg}/package.json`).version;
}
