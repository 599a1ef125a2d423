// puter.hosting against Hearth with the real SDKs (puter.js 2.6.3 and 2.2.14), signed in as a fresh account:
// create/list/get/update/delete go through POST /drivers/call (interface puter-subdomains, driver es:subdomain);
// the site's address comes from puter.fs.readdirSubdomains, and the site is fetched from it: in single-origin
// mode (the default) on the sites port, where /<name>/ is the site, never on the API's origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { origin, loadSdk } from './hearth.mjs';

async function signup(prefix) {
    const username = `${prefix}_${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${origin}/signup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify({
            username, email: `${username}@example.com`, password: `pw-${randomUUID()}`, p102xyzname: '',
        }),
    });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return { username, token: body.token };
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
    test(`puter.js ${version}: puter.hosting create, list, get, update, delete, and the site answers`, async () => {
        const puter = loadSdk(pkg);
        try {
            const { username, token } = await signup('host');
            puter.setAuthToken(token);
            const base = `/${username}/site-${version.replaceAll('.', '-')}`;
            await within(puter.fs.mkdir(base), 'fs.mkdir');
            await within(puter.fs.write(`${base}/index.html`, '<h1>Hello from Hearth</h1>'), 'fs.write');
            await puter.fs.write(`${base}/style.css`, 'h1 { color: tomato; }');
            const other = `${base}-v2`;
            await puter.fs.mkdir(other);
            await puter.fs.write(`${other}/index.html`, '<h1>Version 2</h1>');

            const name = `e2e-${randomUUID().slice(0, 8)}`;
            const created = await within(puter.hosting.create(name, base), 'hosting.create');
            assert.equal(created.subdomain, name);
            assert.match(created.uid, /^sd-/);
            assert.equal(created.root_dir.path, base);

            const listed = plain(await within(puter.hosting.list(), 'hosting.list'));
            assert.deepEqual(listed.map((s) => s.subdomain), [name]);

            const got = await within(puter.hosting.get(name), 'hosting.get');
            assert.equal(got.uid, created.uid);
            assert.equal(got.owner.username, username);

            // The address of the site, as the filesystem reports it for the folder.
            const dir = await puter.fs.stat(base);
            const sites = plain(await within(puter.fs.readdirSubdomains({ directory_ids: [dir.uid] }),
                'fs.readdirSubdomains'));
            assert.equal(sites[0].has_website, true);
            const address = sites[0].subdomains[0].address;
            assert.equal(sites[0].subdomains[0].subdomain, name);
            assert.notEqual(new URL(address).origin, new URL(origin).origin, 'a site never shares the API origin');

            const page = await fetch(address);
            assert.equal(page.status, 200);
            assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
            assert.equal(page.headers.get('access-control-allow-origin'), '*');
            assert.equal(await page.text(), '<h1>Hello from Hearth</h1>');
            const css = await fetch(new URL('style.css', address));
            assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
            assert.equal(await css.text(), 'h1 { color: tomato; }');
            const missing = await fetch(new URL('nope.html', address));
            assert.equal(missing.status, 404);
            await missing.arrayBuffer();

            const updated = await within(puter.hosting.update(name, other), 'hosting.update');
            assert.equal(updated.root_dir.path, other);
            assert.equal(await (await fetch(address)).text(), '<h1>Version 2</h1>');

            await assert.rejects(puter.hosting.create(name, base), (e) => {
                assert.equal((e.error ?? e).code, 'already_in_use');
                return true;
            });

            await within(puter.hosting.delete(name), 'hosting.delete');
            assert.deepEqual(plain(await puter.hosting.list()), []);
            const gone = await fetch(address);
            assert.equal(gone.status, 404);
            assert.equal(await gone.text(), 'Subdomain not found');
        } finally {
            release(puter);
        }
    });
}
