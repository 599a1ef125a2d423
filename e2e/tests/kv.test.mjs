// puter.kv against Hearth with the real SDKs (puter.js 2.6.3 and 2.2.14), signed in as a fresh account:
// set/get/incr/decr/list/del/flush go through POST /drivers/call (interface puter-kvstore) as the SDK sends
// them, text/plain;actually=json with the token in the body (drivers-kv-ai.md §3, puterjs-client-contract.md §4.6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { origin, loadSdk } from './hearth.mjs';

async function post(path, body) {
    const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
}

/** A fresh account's token (sign-ups are throttled per address: the tests share one account, one at a time). */
let shared;
function account() {
    shared ??= signup();
    return shared;
}

async function signup() {
    const username = `kv_${randomUUID().slice(0, 8)}`;
    const signup = await post('/signup', {
        username, email: `${username}@example.com`, password: `pw-${randomUUID()}`, p102xyzname: '',
    });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    return signup.body.token;
}

/** The SDK runs in its own realm: its arrays have another Array prototype, so compare plain copies. */
const plain = (value) => JSON.parse(JSON.stringify(value));

function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

const within = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 10 s`)), 10_000).unref()),
]);

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: puter.kv set, get, incr, decr, list, del and flush`, async () => {
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken(await account());
            const kv = puter.kv;
            assert.equal(await within(kv.set('greeting', 'hello'), 'kv.set'), true);
            assert.equal(await within(kv.get('greeting'), 'kv.get'), 'hello');
            assert.equal(await kv.get('no-such-key'), null);

            assert.equal(await kv.set('counter', 0), true);
            assert.equal(await kv.get('counter'), 0, 'a number stays a number');
            assert.equal(await kv.incr('counter'), 1);
            assert.equal(await kv.incr('counter', 5), 6);
            assert.equal(await kv.decr('counter'), 5);
            assert.equal(await kv.decr('counter', 2), 3);
            assert.deepEqual(plain(await kv.incr('stats', { 'visits.today': 1 })), { visits: { today: 1 } });
            assert.deepEqual(plain(await kv.get('stats')), { visits: { today: 1 } });

            await kv.set('user:1', { n: 1 });
            await kv.set('user:2', { n: 2 });
            assert.deepEqual(plain(await within(kv.list(), 'kv.list')), ['counter', 'greeting', 'stats', 'user:1', 'user:2']);
            assert.deepEqual(plain(await kv.list('user:*')), ['user:1', 'user:2']);
            assert.deepEqual(plain(await kv.list('user:*', true)), [
                { key: 'user:1', value: { n: 1 } },
                { key: 'user:2', value: { n: 2 } },
            ]);

            assert.equal(await kv.del('greeting'), true);
            assert.equal(await kv.get('greeting'), null);
            assert.equal(await kv.del('greeting'), true, 'deleting twice is fine');

            assert.equal(await kv.flush(), true);
            assert.deepEqual(plain(await kv.list()), []);
            assert.equal(await kv.get('counter'), null);
        } finally {
            release(puter);
        }
    });

    test(`puter.js ${version}: a driver error rejects with the envelope`, async () => {
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken(await account());
            await assert.rejects(within(puter.kv.incr('text-now', { a: 'not a number' }), 'kv.incr'), (err) => {
                assert.equal(err.success, false);
                assert.equal(err.error, 'All values in pathAndAmountMap must be numbers');
                return true;
            });
        } finally {
            release(puter);
        }
    });
}

test('the captured kvstore exchange: set with the token in a text/plain;actually=json body', async () => {
    const token = await account();
    const res = await fetch(`${origin}/drivers/call`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;actually=json', Origin: origin },
        body: JSON.stringify({ interface: 'puter-kvstore', method: 'set', args: { key: 'counter', value: 10 }, auth_token: token }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(await res.text(), '{"success":true,"service":{"name":"puter-kvstore"},"result":true,"metadata":{}}');
});
