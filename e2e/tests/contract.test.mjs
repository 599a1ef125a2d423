// The transport rules every client relies on (puterjs-client-contract.md §2.6–2.8), checked with Node's fetch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { origin } from './hearth.mjs';

const browserOrigin = 'https://app.example.test';

test('GET /healthcheck answers {"ok":true} as JSON', async () => {
    const res = await fetch(`${origin}/healthcheck`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await res.json(), { ok: true });
});

test('GET /version names the version, the environment and the boot time', async () => {
    const res = await fetch(`${origin}/version`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await res.json();
    assert.equal(typeof body.version, 'string');
    assert.ok(body.version.length > 0);
    assert.equal(typeof body.environment, 'string');
    assert.equal(typeof body.location, 'string');
    assert.equal(typeof body.deploy_timestamp, 'number');
    assert.ok(body.deploy_timestamp <= Date.now());
});

test('CORS reflects the Origin and allows credentials', async () => {
    const res = await fetch(`${origin}/version`, { headers: { Origin: browserOrigin } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), browserOrigin);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('vary') ?? '', /origin/i);
});

test('CORS answers * to a request without Origin, and never * with credentials', async () => {
    const res = await fetch(`${origin}/version`);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.notEqual(res.headers.get('access-control-allow-credentials'), 'true');
});

test('a preflight on any path is answered 2xx with the methods and headers the SDK sends', async () => {
    const res = await fetch(`${origin}/drivers/call`, {
        method: 'OPTIONS',
        headers: {
            Origin: browserOrigin,
            'Access-Control-Request-Method': 'PUT',
            'Access-Control-Request-Headers': 'authorization, content-type, cache-control, pragma',
        },
    });
    assert.ok(res.status >= 200 && res.status < 300, `status ${res.status}`);
    assert.ok(res.headers.get('content-type'), 'OPTIONS answers carry a Content-Type');
    assert.equal(res.headers.get('access-control-allow-origin'), browserOrigin);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    const methods = (res.headers.get('access-control-allow-methods') ?? '').toUpperCase();
    for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']) {
        assert.ok(methods.includes(m), `Access-Control-Allow-Methods lacks ${m}: ${methods}`);
    }
    const headers = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'cache-control', 'pragma']) {
        assert.ok(headers.includes(h), `Access-Control-Allow-Headers lacks ${h}: ${headers}`);
    }
});

test('an unknown route is a JSON 404 with code not_found', async () => {
    const res = await fetch(`${origin}/no/such/route-${Date.now()}`, { headers: { Origin: browserOrigin } });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('access-control-allow-origin'), browserOrigin, 'errors carry CORS headers too');
    const body = await res.json();
    assert.equal(body.code, 'not_found');
    assert.equal(body.message, 'Not Found');
});

test('a POST without Origin is not refused for lacking one', async () => {
    // Node clients of SDK 2.2.14 send no Origin on their native fetch calls (contract §2.8).
    const res = await fetch(`${origin}/no/such/route`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;actually=json' },
        body: JSON.stringify({ auth_token: null }),
    });
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal((await res.json()).code, 'not_found');
});

test("a comma-joined Origin (2.6.3's Node shim) is not refused", async () => {
    const res = await fetch(`${origin}/version`, { headers: { Origin: 'https://nodejs.puter.site, https://puter.work' } });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('access-control-allow-origin'));
});
