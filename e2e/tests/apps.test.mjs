// puter.apps against Hearth with the real SDKs (puter.js 2.6.3 and 2.2.14), signed in as a fresh account:
// create/get/list/update/delete go through POST /drivers/call (interface puter-apps, driver es:app) as the SDK
// sends them (accounts-permissions-apps-hosting.md §4.3, puterjs-client-contract.md §4.8); checkName through
// GET /apps/nameAvailable; icons come back as /app-icon URLs that serve PNGs.
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

/** One account for the file (sign-ups are throttled per address). */
let shared;
function account() {
    shared ??= signup();
    return shared;
}

async function signup() {
    const username = `apps_${randomUUID().slice(0, 8)}`;
    const res = await post('/signup', {
        username, email: `${username}@example.com`, password: `pw-${randomUUID()}`, p102xyzname: '',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { token: res.body.token, username, uuid: res.body.user.uuid };
}

const plain = (value) => JSON.parse(JSON.stringify(value));

function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

const within = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 10 s`)), 10_000).unref()),
]);

// A 2x2 red PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAEUlEQVR4nGP4z8DwH4QZYAwAR8oH+WdZbrcAAAAASUVORK5CYII=';

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: puter.apps create, get, list, update and delete`, async () => {
        const puter = loadSdk(pkg);
        try {
            const me = await account();
            puter.setAuthToken(me.token);
            const name = `e2e-${version.replaceAll('.', '-')}-${randomUUID().slice(0, 8)}`;

            const created = await within(puter.apps.create(name, 'https://example.com/app/index.html'), 'apps.create');
            assert.match(created.uid, /^app-[0-9a-f-]{36}$/);
            assert.equal(created.name, name);
            assert.equal(created.title, name, 'the title defaults to the name');
            assert.equal(created.index_url, 'https://example.com/app/index.html');
            assert.deepEqual(plain(created.owner), { username: me.username, uuid: me.uuid });

            const got = await within(puter.apps.get(name), 'apps.get');
            assert.equal(got.uid, created.uid);
            assert.equal(got.icon, '');
            assert.deepEqual(plain(got.filetype_associations), []);
            assert.deepEqual(plain(got.stats), { open_count: 0, user_count: 0, referral_count: null });
            assert.equal(got.approved_for_listing, false);

            const listed = await within(puter.apps.list(), 'apps.list');
            assert.ok(Array.isArray(plain(listed)));
            assert.ok(listed.some((a) => a.uid === created.uid), 'list has the new app');
            assert.ok(!listed.some((a) => a.name === 'editor'), 'list is the apps the user can edit');

            const updated = await within(puter.apps.update(name, {
                title: 'Renamed', description: 'An app', icon: `data:image/png;base64,${PNG}`,
                filetypeAssociations: ['hearth'], maximizeOnStart: true,
            }), 'apps.update');
            assert.equal(updated.title, 'Renamed');
            assert.equal(updated.description, 'An app');
            assert.equal(updated.maximize_on_start, true);
            assert.deepEqual(plain(updated.filetype_associations), ['hearth']);
            assert.equal(updated.icon, `${origin}/app-icon/${created.uid}`);
            const icon = await fetch(`${updated.icon}/64`);
            assert.equal(icon.status, 200);
            assert.equal(icon.headers.get('content-type'), 'image/png');
            assert.equal(icon.headers.get('x-content-type-options'), 'nosniff');

            await within(puter.apps.delete(name), 'apps.delete');
            await assert.rejects(within(puter.apps.get(name), 'apps.get after delete'), (err) => {
                assert.equal(err.success, false);
                assert.equal(err.error.code, 'entity_not_found');
                return true;
            });
        } finally {
            release(puter);
        }
    });

    test(`puter.js ${version}: a duplicate name rejects with the envelope`, async () => {
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken((await account()).token);
            const name = `dup-${randomUUID().slice(0, 8)}`;
            await puter.apps.create({ name, indexURL: 'https://example.com/', title: 'First' });
            await assert.rejects(within(puter.apps.create({ name, indexURL: 'https://example.com/dup' }), 'apps.create'),
                (err) => {
                    assert.equal(err.success, false);
                    assert.deepEqual(plain(err.error), {
                        name, code: 'app_name_already_in_use', $: 'heyputer:api/APIError',
                        message: `App name \`${name}\` is already in use.`, status: 409,
                    });
                    return true;
                });
            const deduped = await puter.apps.create({ name, indexURL: 'https://example.com/dup', dedupeName: true });
            assert.equal(deduped.name, `${name}-1`);
        } finally {
            release(puter);
        }
    });
}

test('puter.js 2.6.3: puter.apps.checkName asks /apps/nameAvailable', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken((await account()).token);
        assert.deepEqual(plain(await within(puter.apps.checkName('editor'), 'apps.checkName')),
            { name: 'editor', available: false });
        const free = `free-${randomUUID().slice(0, 8)}`;
        assert.deepEqual(plain(await puter.apps.checkName(free)), { name: free, available: true });
    } finally {
        release(puter);
    }
});
