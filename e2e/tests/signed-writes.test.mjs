// puter.js 2.6.3's signed batch-write path (puterjs-client-contract.md 5.1-5.8): /fs/startBatchWrite, a PUT per
// file (or per part) to the URL Hearth signed, /fs/completeBatchWrite. The URLs are Hearth's own upload route on
// local disk, and presigned URLs of the bucket when the content is in S3 (HEARTH_S3_ENDPOINT set): the bytes then
// go from the client straight to S3, which the tests check by watching the SDK's requests.
//
// The SDK takes that path only in the `web`, `gui` and `app` environments; in Node it decides `nodejs` at
// construction (and installs its XHR shim, which the upload needs). `puter.env` is read again at each upload, so the
// test loads the SDK the Node way and then sets `puter.env = 'gui'`: the SDK's own upload code then runs the signed
// path exactly as in a browser, through its XHR shim. The result tells the paths apart: the signed path resolves
// v2 entries (`isDir`, `parentUid`), the legacy /batch path v1 entries only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { origin, loadSdk, s3Endpoint } from './hearth.mjs';

async function post(path, body, token) {
    const headers = { 'Content-Type': 'application/json', Origin: origin };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
}

async function account() {
    const username = `e2esw_${randomUUID().slice(0, 8)}`;
    const password = `pw-${randomUUID()}`;
    const signup = await post('/signup', { username, email: `${username}@example.com`, password, p102xyzname: '' });
    assert.equal(signup.status, 200, JSON.stringify(signup.body));
    return { username, token: signup.body.token };
}

const within = (promise, what, ms = 30_000) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in ${ms} ms`)), ms).unref()),
]);

/** Where a signed PUT must go: a presigned URL of the bucket on S3, else Hearth's own upload route. */
function assertUploadUrl(url) {
    if (s3Endpoint) {
        assert.ok(url.startsWith(`${s3Endpoint}/`) && /[?&]X-Amz-Signature=/.test(url), `a presigned S3 URL: ${url}`);
    } else {
        assert.ok(url.startsWith(`${origin}/fs/upload/`), `Hearth's upload route: ${url}`);
    }
}

/**
 * puter.js loaded with a `fetch` that records each request's method and URL: the SDK's XHR shim in Node sends
 * everything through the `fetch` it found at load time.
 */
function loadSdkWatchingRequests(pkg) {
    const requests = [];
    const saved = globalThis.fetch;
    globalThis.fetch = (input, init) => {
        requests.push({ method: String(init?.method ?? input?.method ?? 'GET').toUpperCase(), url: String(input?.url ?? input) });
        return saved(input, init);
    };
    try {
        return { puter: loadSdk(pkg), requests };
    } finally {
        globalThis.fetch = saved;
    }
}

async function homeReady(token, username) {
    for (let i = 0; i < 50; i++) {
        if ((await post('/stat', { path: `/${username}/Documents` }, token)).status === 200) return;
        await new Promise((r) => setTimeout(r, 100));
    }
}

async function readText(token, path) {
    const res = await fetch(`${origin}/read?file=${encodeURIComponent(path)}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

test('puter.js 2.6.3 in a browser environment writes through the signed path: single, overwrite, multipart', async () => {
    const { username, token } = await account();
    await homeReady(token, username);
    const { puter, requests } = loadSdkWatchingRequests('@heyputer/puter.js');
    try {
        puter.setAuthToken(token);
        puter.env = 'gui';
        const base = `/${username}/Documents/signed`;

        const written = await within(puter.fs.write(`${base}/hello.txt`, 'hello, signed world', { createMissingParents: true }), 'fs.write');
        // v2 (the signed path) with the v1 names added (5.8)
        assert.equal(written.isDir, false, JSON.stringify(written));
        assert.equal(written.is_dir, false);
        assert.equal(written.path, `${base}/hello.txt`);
        assert.equal(written.size, 19);
        assert.ok(written.uuid && written.parentUid, JSON.stringify(written));
        assert.equal((await readText(token, `${base}/hello.txt`)).body.toString(), 'hello, signed world');

        // write() overwrites by default: same entry, new content
        const again = await within(puter.fs.write(`${base}/hello.txt`, 'replaced'), 'fs.write (overwrite)');
        assert.equal(again.uuid, written.uuid);
        assert.equal(again.isDir, false);
        assert.equal((await readText(token, `${base}/hello.txt`)).body.toString(), 'replaced');

        // Above the 10 MiB single-upload limit: two parts, each PUT answering an ETag
        const big = Buffer.alloc(10 * 1024 * 1024 + 5);
        for (let i = 0; i < big.length; i++) big[i] = i % 251;
        const file = new File([big], 'big.bin', { type: 'application/octet-stream' });
        const uploaded = await within(puter.fs.write(`${base}/big.bin`, file), 'fs.write (multipart)', 120_000);
        assert.equal(uploaded.isDir, false, JSON.stringify(uploaded));
        assert.equal(uploaded.size, big.length);
        const back = await readText(token, `${base}/big.bin`);
        assert.equal(back.body.length, big.length);
        assert.ok(back.body.equals(big), 'the multipart upload reads back byte for byte');

        // The bytes went where the start said: one PUT per single upload, one per part (4), none through Hearth's
        // other write routes.
        const puts = requests.filter((r) => r.method === 'PUT');
        assert.equal(puts.length, 4, JSON.stringify(requests));
        puts.forEach((r) => assertUploadUrl(r.url));
        assert.ok(!requests.some((r) => /\/(write|batch|up)(\?|$)/.test(new URL(r.url).pathname)), JSON.stringify(requests));
    } finally {
        try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
    }
});

test('the signed flow as the SDK drives it, with fetch: start, signed PUT (CORS), complete, abort', async () => {
    const { username, token } = await account();
    await homeReady(token, username);
    const path = `/${username}/Desktop/fetch.txt`;
    const started = await post('/fs/startBatchWrite', [{
        fileMetadata: { path, size: 5, contentType: 'text/plain', overwrite: false, dedupeName: true },
        guiMetadata: { operationId: randomUUID(), itemUploadId: '0' },
    }], token);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const [item] = started.body;
    assert.equal(item.uploadMode, 'single');
    assertUploadUrl(item.url);

    // The browser's preflight for the PUT, then the PUT itself, without credentials.
    const pre = await fetch(item.url, { method: 'OPTIONS', headers: { Origin: 'https://app.example.com',
        'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } });
    assert.equal(pre.status, 200);
    assert.ok(pre.headers.get('access-control-allow-origin'));
    assert.match(pre.headers.get('access-control-allow-methods'), /PUT/);
    assert.match(pre.headers.get('access-control-allow-headers'), /content-type/i);
    const put = await fetch(item.url, { method: 'PUT', headers: { 'Content-Type': item.contentType, Origin: 'https://app.example.com' },
        body: 'hello' });
    assert.equal(put.status, 200);
    assert.ok(put.headers.get('etag'));
    assert.match(put.headers.get('access-control-expose-headers'), /ETag/i);

    const done = await post('/fs/completeBatchWrite', [{ uploadId: item.sessionId }], token);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body[0].fsEntry.path, path);
    assert.equal((await readText(token, path)).body.toString(), 'hello');

    // An upload abandoned: aborted, then neither its URL (Hearth's route) nor its completion goes through.
    const second = await post('/fs/startBatchWrite', [{ fileMetadata: { path: `/${username}/Desktop/x.txt`, size: 1 } }], token);
    const [abandoned] = second.body;
    assertUploadUrl(abandoned.url);
    const aborted = await post('/fs/abortWrite', { uploadId: abandoned.sessionId }, token);
    assert.deepEqual(aborted.body, { ok: true });
    const late = await fetch(abandoned.url, { method: 'PUT', headers: { 'Content-Type': abandoned.contentType }, body: 'x' });
    if (s3Endpoint) {
        // A presigned S3 URL cannot be revoked before it expires: S3 takes the bytes, to a key no entry uses.
        assert.equal(late.status, 200);
    } else {
        assert.equal(late.status, 409);
        assert.equal((await late.json()).code, 'conflict');
    }
    const lateDone = await post('/fs/completeBatchWrite', [{ uploadId: abandoned.sessionId }], token);
    assert.equal(lateDone.status, 409, JSON.stringify(lateDone.body));
    assert.equal((await post('/stat', { path: `/${username}/Desktop/x.txt` }, token)).status, 404);

    // A completion of an upload whose bytes never arrived is the client's mistake, wherever they were to go.
    const third = await post('/fs/startBatchWrite', [{ fileMetadata: { path: `/${username}/Desktop/y.txt`, size: 2 } }], token);
    const early = await post('/fs/completeBatchWrite', [{ uploadId: third.body[0].sessionId }], token);
    assert.equal(early.status, 400, JSON.stringify(early.body));
    assert.equal(early.body.code, 'bad_request');
});
