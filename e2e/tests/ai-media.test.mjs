// puter.ai's media calls against Hearth with the real SDKs, signed in as a fresh account, on a Hearth with no
// AI provider configured (drivers-kv-ai.md §5, puterjs-client-contract.md §4.7): txt2img (test mode: the sample PNG;
// otherwise the offline provider's PNG), txt2speech (test mode: the sample MP3; otherwise espeak-ng's WAV), img2txt
// (test mode: the spec's sample; otherwise tesseract reads a PNG with known text), speech2txt (test mode). In Node the
// SDK has no Image or Audio: it hands back a plain object whose `src` (and string value) is a data URL, which is
// what these tests read. The local engines need Debian's tesseract-ocr and espeak-ng (.ci/run installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { origin, loadSdk } from './hearth.mjs';

async function post(path, body) {
    const res = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
}

let shared;
function account() {
    shared ??= (async () => {
        const username = `ai_${randomUUID().slice(0, 8)}`;
        const signup = await post('/signup', {
            username, email: `${username}@example.com`, password: `pw-${randomUUID()}`, p102xyzname: '',
        });
        assert.equal(signup.status, 200, JSON.stringify(signup.body));
        return signup.body.token;
    })();
    return shared;
}

function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

const within = (promise, what, ms = 20_000) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in ${ms / 1000} s`)), ms).unref()),
]);

/** The bytes and media type of a data URL. */
function decode(url) {
    const text = String(url);
    const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(text);
    assert.ok(match, `a base64 data URL, got ${text.slice(0, 60)}`);
    return { type: match[1], bytes: Buffer.from(match[2], 'base64') };
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ocrPng = `data:image/png;base64,${readFileSync(new URL('./fixtures/ocr-text.png', import.meta.url)).toString('base64')}`;

test('puter.js 2.6.3: txt2img in test mode and with the offline provider', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(await account());
        const sample = decode((await within(puter.ai.txt2img('a teapot made of cheese', true), 'txt2img')).src);
        assert.deepEqual(sample.bytes.subarray(0, 8), PNG);
        const offline = decode(await within(puter.ai.txt2img({ prompt: 'a lighthouse at dusk' }), 'txt2img'));
        assert.deepEqual(offline.bytes.subarray(0, 8), PNG);
        assert.notDeepEqual(offline.bytes, sample.bytes);
    } finally {
        release(puter);
    }
});

test('puter.js 2.6.3: txt2speech in test mode (sample MP3) and with espeak-ng (WAV)', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(await account());
        const sample = decode((await within(puter.ai.txt2speech('Hello world', true), 'txt2speech')).src);
        assert.equal(sample.type, 'audio/mpeg');
        assert.deepEqual([...sample.bytes.subarray(0, 2)], [0xff, 0xfb]);
        const spoken = decode(await within(puter.ai.txt2speech('Hello from Hearth', { language: 'en-US' }), 'txt2speech'));
        assert.equal(spoken.type, 'audio/wav');
        assert.equal(spoken.bytes.subarray(0, 4).toString('latin1'), 'RIFF');
        assert.equal(spoken.bytes.subarray(8, 12).toString('latin1'), 'WAVE');
        assert.equal(spoken.bytes.readUInt32LE(4), spoken.bytes.length - 8);
        assert.ok(spoken.bytes.length > 10_000, `${spoken.bytes.length} bytes of speech`);
        const voices = await within(puter.ai.txt2speech.listVoices('espeak-ng'), 'listVoices');
        assert.ok(JSON.parse(JSON.stringify(voices)).some((v) => v.id === 'en-us'));
    } finally {
        release(puter);
    }
});

test('puter.js 2.6.3: img2txt in test mode and with tesseract', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(await account());
        const sample = await within(puter.ai.img2txt(ocrPng, true), 'img2txt');
        assert.equal(sample, 'Hello\nThe test_mode flag is set to true. This is a sample output.\n');
        const read = await within(puter.ai.img2txt(ocrPng), 'img2txt', 60_000);
        assert.equal(read.trim(), 'Hearth reads puter.js');
    } finally {
        release(puter);
    }
});

test('puter.js 2.6.3: speech2txt in test mode', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(await account());
        const result = await within(puter.ai.speech2txt('data:audio/wav;base64,UklGRiQAAABXQVZF', true), 'speech2txt');
        assert.match(JSON.stringify(result), /sample transcription returned while test mode is enabled/);
    } finally {
        release(puter);
    }
});

test('puter.js 2.2.14: txt2speech with its Polly defaults and img2txt through aws-textract', async () => {
    const puter = loadSdk('puter-js-2.2');
    try {
        puter.setAuthToken(await account());
        const spoken = decode(await within(puter.ai.txt2speech('Hello from Hearth'), 'txt2speech'));
        assert.equal(spoken.type, 'audio/wav');
        assert.equal(spoken.bytes.subarray(0, 4).toString('latin1'), 'RIFF');
        const read = await within(puter.ai.img2txt(ocrPng), 'img2txt', 60_000);
        assert.equal(read.trim(), 'Hearth reads puter.js');
        const image = decode(await within(puter.ai.txt2img('a teapot', true), 'txt2img'));
        assert.deepEqual(image.bytes.subarray(0, 8), PNG);
    } finally {
        release(puter);
    }
});
