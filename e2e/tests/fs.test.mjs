// The filesystem as a Node program uses it with the real SDK: puter.fs.mkdir, write, read, readdir, stat, rename,
// move, copy, delete and space against Hearth (filesystem.md section 3, puterjs-client-contract.md 4.3-4.4).
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

/** A fresh account, signed up and logged in; returns the login's GUI token. */
async function account() {
    const username = `e2efs_${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const signup = await post('/signup', { username, email: `${username}@example.com`, password, p102xyzname: '' });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    const login = await post('/login', { username, password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return { username, token: login.body.token };
}

// Sign-ups are throttled per address (10 in 15 minutes) and every e2e file shares one Hearth: this file makes two
// accounts and works in a folder of its own per test.
let accounts;
async function twoAccounts() {
    accounts ??= Promise.all([account(), account()]);
    return accounts;
}

function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

const within = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 15 s`)), 15_000).unref()),
]);

/** The text of what puter.fs.read resolves to (a Blob). */
async function text(blob) {
    return typeof blob === 'string' ? blob : await blob.text();
}

/** The home follows the account through an event: wait until it can be listed. */
async function homeReady(puter, username) {
    for (let i = 0; i < 50; i++) {
        try {
            await puter.fs.stat(`/${username}/Documents`);
            return;
        } catch {
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: mkdir, write, read, readdir, stat, rename, move, copy, delete, space`, async () => {
        const [{ username, token }] = await twoAccounts();
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken(token);
            await homeReady(puter, username);
            const base = `/${username}/Documents/e2e-${version}`;

            const dir = await within(puter.fs.mkdir(base), 'fs.mkdir');
            assert.equal(dir.name, `e2e-${version}`);
            assert.equal(dir.is_dir, true);

            const written = await within(puter.fs.write(`${base}/hello.txt`, 'hello, hearth'), 'fs.write');
            assert.equal(written.name, 'hello.txt');
            assert.equal(await text(await within(puter.fs.read(`${base}/hello.txt`), 'fs.read')), 'hello, hearth');

            // write() overwrites by default
            await within(puter.fs.write(`${base}/hello.txt`, 'hello again'), 'fs.write (overwrite)');
            assert.equal(await text(await puter.fs.read(`${base}/hello.txt`)), 'hello again');

            const stat = await within(puter.fs.stat(`${base}/hello.txt`), 'fs.stat');
            assert.equal(stat.name, 'hello.txt');
            assert.equal(stat.is_dir, false);
            assert.equal(stat.size, 11);

            const listed = await within(puter.fs.readdir(base), 'fs.readdir');
            assert.deepEqual(Array.from(listed, (e) => e.name), ['hello.txt']); // the SDK's array is of its sandbox's realm

            const renamed = await within(puter.fs.rename(`${base}/hello.txt`, 'greeting.txt'), 'fs.rename');
            assert.equal(renamed.name, 'greeting.txt');

            await within(puter.fs.mkdir(`${base}/sub`), 'fs.mkdir sub');
            const moved = await within(puter.fs.move(`${base}/greeting.txt`, `${base}/sub`), 'fs.move');
            assert.equal(moved.moved.path, `${base}/sub/greeting.txt`);

            const copied = await within(puter.fs.copy(`${base}/sub/greeting.txt`, base), 'fs.copy');
            const copy = Array.isArray(copied) ? copied[0].copied : copied.copied ?? copied;
            assert.equal(copy.path, `${base}/greeting.txt`);
            assert.equal(await text(await puter.fs.read(`${base}/greeting.txt`)), 'hello again');

            await within(puter.fs.delete(`${base}/sub`), 'fs.delete');
            await assert.rejects(puter.fs.stat(`${base}/sub`));
            assert.deepEqual(Array.from(await puter.fs.readdir(base), (e) => e.name), ['greeting.txt']);

            const space = await within(puter.fs.space(), 'fs.space');
            assert.equal(typeof space.used, 'number');
            assert.equal(typeof space.capacity, 'number');
            assert.ok(space.used >= 11);
        } finally {
            release(puter);
        }
    });
}

test('another user\'s file is not found', async () => {
    const [alice, bob] = await twoAccounts();
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(bob.token);
        await homeReady(puter, bob.username);
        await puter.fs.write(`/${bob.username}/Documents/secret.txt`, 'secret');
    } finally {
        release(puter);
    }
    const res = await fetch(`${origin}/read?file=${encodeURIComponent(`/${bob.username}/Documents/secret.txt`)}`, {
        headers: { Authorization: `Bearer ${alice.token}` },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'File or directory not found.', code: 'subject_does_not_exist' });
});
