// The filesystem as a Node program uses it with the real SDK: puter.fs.mkdir, write, read, readdir, stat, rename,
// move, copy, delete and space against Hearth (filesystem.md section 3, puterjs-client-contract.md 4.3-4.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { WebSocket as WebSocketPackage } from 'ws';
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

/** The SDK with its FS socket connected (on Node < 22 with the `ws` package's WebSocket, as realtime.test.mjs). */
async function connectedSdk(pkg, token) {
    const hadWebSocket = 'WebSocket' in globalThis;
    if (!hadWebSocket) globalThis.WebSocket = WebSocketPackage;
    let puter;
    try {
        puter = loadSdk(pkg);
    } finally {
        if (!hadWebSocket) delete globalThis.WebSocket;
    }
    puter.setAuthToken(token);
    for (let i = 0; i < 100 && !puter.fs.socket?.connected; i++) await new Promise((r) => setTimeout(r, 100));
    return puter;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});

function crc32(bytes) {
    let c = 0xffffffff;
    for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
}

/** A width × height RGB PNG (a gradient), made by hand: Node has no image library. */
function png(width, height) {
    const chunk = (type, data) => {
        const head = Buffer.alloc(8);
        head.writeUInt32BE(data.length, 0);
        head.write(type, 4, 'ascii');
        const crc = Buffer.alloc(4);
        crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
        return Buffer.concat([head, data, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    const rows = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
            const i = y * (width * 3 + 1) + 1 + x * 3;
            rows[i] = (x * 255) / width;
            rows[i + 1] = (y * 255) / height;
            rows[i + 2] = 128;
        }
    }
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
        chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: fs.upload reports progress; an image written gets a thumbnail in readdir`, async () => {
        const [{ username, token }] = await twoAccounts();
        const puter = await connectedSdk(pkg, token);
        try {
            await homeReady(puter, username);
            const base = `/${username}/Documents/media-${version}`;
            await within(puter.fs.mkdir(base), 'fs.mkdir');

            // upload.progress from Hearth (filesystem.md 7): the SDK adds the loaded_diff of its operation's events.
            const events = [];
            puter.fs.socket.on('upload.progress', (e) => events.push(e));
            const percents = [];
            const size = 3 * 1024 * 1024;
            const file = new File([Buffer.alloc(size, 7)], 'big.bin', { type: 'application/octet-stream' });
            const uploaded = await within(puter.fs.upload([file], base, {
                progress: (operationId, percent) => percents.push(Number(percent)),
            }), 'fs.upload');
            const entry = Array.isArray(uploaded) ? uploaded[0] : uploaded;
            assert.equal(entry.name, 'big.bin');
            assert.equal(entry.size, size);
            assert.ok(percents.every((p) => p >= 0 && p <= 100), JSON.stringify(percents));
            if (version === '2.2.14' || events.length > 0) { // 2.6.3 uploads through /batch while signed writes are off
                for (let i = 0; i < 50 && events.reduce((n, e) => n + e.loaded_diff, 0) < size; i++) {
                    await new Promise((r) => setTimeout(r, 100));
                }
                assert.ok(events.length > 0, 'no upload.progress event');
                const mine = events.filter((e) => e.operation_id === events[0].operation_id);
                assert.equal(mine.reduce((n, e) => n + e.loaded_diff, 0), size);
                assert.equal(mine.at(-1).loaded, size);
                assert.equal(mine.at(-1).total, size);
                assert.equal(mine.at(-1).item_path, `${base}/big.bin`);
            }

            // A PNG without a thumbnail of its own: Hearth makes one, which readdir shows.
            const image = new Blob([png(320, 200)], { type: 'image/png' });
            await within(puter.fs.write(`${base}/photo.png`, image), 'fs.write (png)');
            let thumbnail = null;
            for (let i = 0; i < 100 && !thumbnail; i++) {
                const listed = await puter.fs.readdir({ path: base, consistency: 'strong' });
                thumbnail = Array.from(listed).find((e) => e.name === 'photo.png')?.thumbnail ?? null;
                if (!thumbnail) await new Promise((r) => setTimeout(r, 200));
            }
            assert.match(String(thumbnail), /^data:image\/(jpeg|png);base64,/);
        } finally {
            release(puter);
        }
    });
}
