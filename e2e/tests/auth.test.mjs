// Signing in as a Node program does, with the real SDK: an account made through /signup and /login, its token
// handed to puter.js, and the SDK's own calls (auth.whoami, auth.getUser) answered by Hearth.
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

/** A fresh account: signs up, then logs in again; returns the login's GUI token. */
async function account() {
    const username = `e2e_${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    // p102xyzname is the GUI's bot trap: a real form sends it empty (accounts spec 1.3.1).
    const signup = await post('/signup', { username, email: `${username}@example.com`, password, p102xyzname: '' });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    assert.equal(signup.body.user.username, username);
    const login = await post('/login', { username, password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.proceed, true);
    assert.equal(login.body.next_step, 'complete');
    return { username, token: login.body.token };
}

/** The SDK keeps a socket.io connection for its token; end it so the test process can exit. */
function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

const within = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 10 s`)), 10_000).unref()),
]);

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: a signed-in SDK learns who it is from auth.whoami() and auth.getUser()`, async () => {
        const { username, token } = await account();
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken(token);
            const me = await within(puter.auth.whoami(), 'auth.whoami()');
            assert.equal(me.username, username);
            assert.equal(me.email, `${username}@example.com`);
            const user = await within(puter.auth.getUser(), 'auth.getUser()');
            assert.equal(user.username, username);
            assert.equal(typeof user.uuid, 'string');
        } finally {
            release(puter);
        }
    });
}

test('a wrong password is refused in the contract\'s format', async () => {
    const { username } = await account();
    const res = await fetch(`${origin}/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({ username, password: 'not-the-password' }),
    });
    assert.equal(res.status, 400);
    assert.ok(res.headers.get('content-type'));
});

test('whoami without a token answers 401 token_missing', async () => {
    const res = await fetch(`${origin}/whoami`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { message: 'Missing authentication token.', code: 'token_missing' });
});
