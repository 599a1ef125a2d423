// Real-time events as clients receive them (puterjs-client-contract.md §6, socket S1): the real socket.io-client 4
// on each transport gets `item.added` after another client of the same user writes over HTTP; another user's socket
// gets nothing; a bad token is refused; logging the session out disconnects its socket. Then puter.js 2.6.3 and
// 2.2.14 signed in with setAuthToken: their FS socket connects, and an `item.added` caused by another client drops
// the SDK's cached listing of the parent folder, so that readdir({consistency: 'eventual'}) sees the new file.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { WebSocket as WebSocketPackage } from 'ws'; // socket.io-client's own, for Node < 22
import { origin, loadSdk } from './hearth.mjs';

const LIMIT_MS = 10_000;

async function post(path, body, token) {
    const headers = { 'Content-Type': 'application/json', Origin: origin };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    let json;
    try { json = JSON.parse(text); } catch { json = text; }
    return { status: res.status, body: json };
}

async function login(username, password) {
    const res = await post('/login', { username, password });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.token;
}

async function account() {
    const username = `e2ert_${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const signup = await post('/signup', { username, email: `${username}@example.com`, password, p102xyzname: '' });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    return { username, password, token: await login(username, password) };
}

// Sign-ups are throttled per address (10 in 15 minutes) for the whole e2e run: this file makes two accounts.
let accounts;
function twoAccounts() {
    accounts ??= Promise.all([account(), account()]);
    return accounts;
}

const open = [];
after(() => open.forEach((s) => s.disconnect()));

function within(promise, what, ms = LIMIT_MS) {
    let timer;
    return Promise.race([
        promise,
        new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${what} did not happen in ${ms} ms`)), ms);
            timer.unref();
        }),
    ]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A socket.io-client socket of `token`; resolves when connected, rejects with the connect_error. */
function connect(token, options = {}) {
    const socket = io(origin, { auth: { auth_token: token }, forceNew: true, reconnection: false, timeout: LIMIT_MS,
        ...options });
    open.push(socket);
    socket.io.once('open', () => { socket.firstTransport = socket.io.engine.transport.name; });
    return within(new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', (e) => { socket.disconnect(); reject(e); });
    }), 'socket connect');
}

/** The first `event` on `socket` whose payload satisfies `match`. */
function next(socket, event, match = () => true, ms = LIMIT_MS) {
    let listener;
    return within(new Promise((resolve) => {
        listener = (payload) => { if (match(payload)) resolve(payload); };
        socket.on(event, listener);
    }), `${event} on socket`, ms).finally(() => socket.off(event, listener));
}

/** Records every item.* event a socket receives. */
function recorder(socket) {
    const seen = [];
    socket.onAny((event, payload) => { if (event.startsWith('item.')) seen.push({ event, payload }); });
    return seen;
}

/**
 * Writes a file the way puter.js 2.2.14's legacy upload does, multipart `POST /write`: the fields first (the
 * writer's socket id, the folder, the size), then the file.
 */
async function write(token, dir, name, content, socketId) {
    const form = new FormData();
    if (socketId) {
        form.append('socket_id', socketId);
        form.append('original_client_socket_id', socketId);
    }
    form.append('path', dir);
    form.append('create_missing_parents', 'true');
    form.append('overwrite', 'false');
    form.append('size', String(Buffer.byteLength(content)));
    form.append('file', new Blob([content], { type: 'text/plain' }), name);
    const res = await fetch(`${origin}/write`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, Origin: origin }, body: form,
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return body;
}

/** The home folder follows the account through an event: wait until Documents exists. */
async function homeReady({ username, token }) {
    for (let i = 0; i < 50; i++) {
        const res = await post('/stat', { path: `/${username}/Documents` }, token);
        if (res.status === 200) return;
        await sleep(100);
    }
}

for (const [mode, transports] of [['polling only', ['polling']], ['WebSocket only', ['websocket']],
    ['polling then upgrade (default)', undefined]]) {
    test(`socket.io-client, ${mode}: item.added after another client's POST /write, nothing for another user`, async () => {
        const [alice, bob] = await twoAccounts();
        await homeReady(alice);
        const observer = await connect(alice.token, transports ? { transports } : {});
        assert.equal(observer.firstTransport, transports ? transports[0] : 'polling');
        if (!transports && observer.io.engine.transport.name !== 'websocket') {
            // the default opens on long-polling and upgrades to WebSocket
            await within(new Promise((r) => observer.io.engine.once('upgrade', r)), 'upgrade to websocket');
        }
        assert.equal(observer.io.engine.transport.name, transports ? transports[0] : 'websocket');
        const writer = await connect(alice.token, { transports: ['websocket'] });
        const stranger = await connect(bob.token, { transports: ['websocket'] });
        const strangerSaw = recorder(stranger);

        const dir = `/${alice.username}/Documents/rt-${randomUUID().slice(0, 8)}`;
        const name = 'hello.txt';
        const arrived = next(observer, 'item.added', (p) => p?.name === name);
        const writerGot = next(writer, 'item.added', (p) => p?.name === name);
        const written = await write(alice.token, dir, name, 'hello, sockets', writer.id);
        const item = await arrived;

        assert.equal(typeof item.uid, 'string');
        assert.equal(item.uid, written.uid);
        assert.equal(item.id ?? item.uid, written.id ?? written.uid);
        assert.equal(item.name, name);
        assert.equal(item.path, `${dir}/${name}`);
        assert.equal(typeof item.path, 'string');
        assert.ok(item.is_dir === false || item.is_dir === 0, `is_dir: ${item.is_dir}`);
        assert.equal(item.original_client_socket_id, writer.id);
        assert.equal(item.socket_id, writer.id);
        assert.equal(item.from_new_service, true);
        // the writing client is told too (the SDK does not filter by original_client_socket_id)
        assert.equal((await writerGot).uid, written.uid);

        await sleep(300);
        assert.deepEqual(strangerSaw, [], 'another user\'s socket received events');
        [observer, writer, stranger].forEach((s) => s.disconnect());
    });
}

test('a bad token fails to connect: connect_error "socket auth failed" (no token: "socket auth token missing")', async () => {
    for (const transports of [['polling'], ['websocket']]) {
        await assert.rejects(connect('not-a-token', { transports }), (e) => {
            assert.equal(e.message, 'socket auth failed');
            return true;
        });
    }
    const [alice] = await twoAccounts();
    await assert.rejects(connect(`${alice.token}x`, { transports: ['websocket'] }), /^Error: socket auth failed$/);
    // examples.md: auth {} is refused with its own message
    await assert.rejects(connect(undefined, { transports: ['websocket'] }), /^Error: socket auth token missing$/);
});

test('POST /logout of the session disconnects its socket (io server disconnect) and it does not reconnect', async () => {
    const [alice] = await twoAccounts();
    const session = await login(alice.username, alice.password); // a session of its own, so the others stay valid
    const other = await connect(alice.token, { transports: ['websocket'] });
    const socket = await connect(session, { transports: ['websocket'], reconnection: true, reconnectionDelay: 100 });
    let reconnected = 0;
    socket.on('connect', () => reconnected++);
    socket.io.on('reconnect_attempt', () => reconnected++);
    const gone = within(new Promise((r) => socket.once('disconnect', r)), 'disconnect after logout');

    const csrf = await fetch(`${origin}/get-anticsrf-token`, { headers: { Authorization: `Bearer ${session}` } });
    assert.equal(csrf.status, 200);
    const { token: antiCsrf } = await csrf.json();
    const out = await post('/logout', { anti_csrf: antiCsrf }, session);
    assert.equal(out.status, 200, JSON.stringify(out.body));

    assert.equal(await gone, 'io server disconnect');
    await sleep(1_000);
    assert.equal(socket.connected, false);
    assert.equal(reconnected, 0, 'the socket tried to reconnect');
    await assert.rejects(connect(session, { transports: ['websocket'] }), /socket auth failed/);
    // the user's other session keeps its socket
    assert.equal(other.connected, true);
    other.disconnect();
    socket.disconnect();
});

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: its FS socket connects, and item.added from another client drops its cached listing`, async () => {
        const [alice] = await twoAccounts();
        await homeReady(alice);
        const dir = `/${alice.username}/Documents/rt-sdk-${version}-${randomUUID().slice(0, 8)}`;
        await write(alice.token, dir, 'a.txt', 'a');

        // The SDK's bundle opens its socket with the global WebSocket (§2.7), which Node has from version 22 on
        // (before, only with --experimental-websocket). Without one the SDK's socket stays "opening" for ever,
        // without a connect_error; so on an older Node the SDK gets the `ws` package's, as a Node program would.
        const hadWebSocket = 'WebSocket' in globalThis;
        if (!hadWebSocket) globalThis.WebSocket = WebSocketPackage;
        let puter;
        let writer; // another client of the same user, writing through the SDK (2.2.14: /batch; 2.6.3: its batch-write)
        try {
            puter = loadSdk(pkg);
            writer = loadSdk(pkg);
        } finally {
            if (!hadWebSocket) delete globalThis.WebSocket;
        }
        const watcher = await connect(alice.token, { transports: ['websocket'] });
        try {
            puter.setAuthToken(alice.token); // reconnects the FS socket with the token (§6.1)
            const socket = puter.fs.socket;
            const errors = [];
            socket.on('connect_error', (e) => errors.push(e.message));
            for (let i = 0; i < 100 && !socket.connected; i++) await sleep(100);
            assert.equal(socket.connected, true, `the SDK's socket did not connect: ${errors.join(', ')}`);
            assert.deepEqual(errors, []);

            const listed = await within(puter.fs.readdir(dir), 'fs.readdir');
            assert.deepEqual(Array.from(listed, (e) => e.name), ['a.txt']);
            assert.ok(await puter._cache.get(`readdir:${dir}`), 'readdir did not cache the listing');
            const cached = await puter.fs.readdir(dir, { consistency: 'eventual' });
            assert.deepEqual(Array.from(cached, (e) => e.name), ['a.txt']);

            writer.setAuthToken(alice.token);
            for (let i = 0; i < 100 && !writer.fs.socket.connected; i++) await sleep(100);
            const arrived = next(socket, 'item.added', (p) => p?.name === 'b.txt');
            const seen = next(watcher, 'item.added', (p) => p?.name === 'b.txt');
            await within(writer.fs.write(`${dir}/b.txt`, 'b'), 'writer fs.write');
            const item = await arrived;
            assert.equal(item.path, `${dir}/b.txt`);
            const tagged = await seen;
            assert.equal(tagged.original_client_socket_id, writer.fs.socket.id, JSON.stringify(tagged));
            // the SDK's own listener (registered first) has run: the parent's listing is gone from its cache
            assert.equal(await puter._cache.get(`readdir:${dir}`), undefined);
            const fresh = await within(puter.fs.readdir(dir, { consistency: 'eventual' }), 'fs.readdir eventual');
            assert.deepEqual(Array.from(fresh, (e) => e.name).sort(), ['a.txt', 'b.txt']);
        } finally {
            for (const sdk of [puter, writer]) {
                try { sdk.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
            }
            watcher.disconnect();
        }
    });
}
