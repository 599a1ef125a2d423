// The load client of bench/socket/run. Two measures, each bounded in count and time, then it exits by itself:
//
//   node load.mjs memory  <url> <token> <count> <server pid> [jcmd]
//     RSS (and, with jcmd, the heap used after a full GC) of the server before and after <count> idle
//     WebSocket-only socket.io clients have connected.
//   node load.mjs latency <url> <token> <clients> <iterations> <notification uid>
//     <clients> sockets of one user; <iterations> times POST /notif/mark-ack {uid}, which emits
//     outer.gui.notif.ack to the user's room, and the time until notif.ack arrives on each socket.
//   node load.mjs write   <url> <token> <clients> <iterations> <folder>
//     <clients> sockets of one user; <iterations> times POST /write (multipart, a new 64-byte file in <folder>,
//     created with its parents), and the time until item.added for that file arrives on each socket.
//
// Prints one JSON object on stdout.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { io } from 'socket.io-client';

const [mode, url, token, ...rest] = process.argv.slice(2);
if (!url.startsWith('http://127.0.0.1:')) {
    throw new Error('127.0.0.1 only');
}
const HARD_LIMIT_MS = 300_000;
setTimeout(() => { console.error('load: time limit reached'); process.exit(3); }, HARD_LIMIT_MS).unref();

const sleep = ms => new Promise(r => setTimeout(r, ms));

function connect() {
    return new Promise((resolve, reject) => {
        const socket = io(url, { auth: { auth_token: token }, transports: ['websocket'], forceNew: true,
            reconnection: false, timeout: 30_000 });
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', e => { socket.close(); reject(e); });
    });
}

/** Connects n sockets, `parallel` handshakes at a time. */
async function connectMany(n, parallel) {
    const sockets = [];
    let next = 0;
    async function worker() {
        while (next < n) {
            next++;
            sockets.push(await connect());
        }
    }
    await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
    return sockets;
}

function rssKiB(pid) {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m[1]);
}

/** Heap used after a full collection, in KiB (jcmd GC.run then GC.heap_info). */
function heapAfterGcKiB(jcmd, pid) {
    execFileSync(jcmd, [String(pid), 'GC.run'], { timeout: 30_000 });
    const info = execFileSync(jcmd, [String(pid), 'GC.heap_info'], { timeout: 30_000 }).toString();
    const m = /used (\d+)K/.exec(info);
    return m ? Number(m[1]) : null;
}

function percentile(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
}

function summary(values) {
    const s = [...values].sort((a, b) => a - b);
    const r = v => Math.round(v * 1000) / 1000;
    return { n: s.length, min: r(s[0]), median: r(percentile(s, 50)), p90: r(percentile(s, 90)),
        p99: r(percentile(s, 99)), max: r(s[s.length - 1]) };
}

async function memory([count, pid, jcmd]) {
    const n = Number(count);
    const out = { clients: n };
    // Warm-up: the classes and code of the socket path are loaded and compiled before the first measure.
    const warm = await connectMany(Math.min(200, n), 50);
    warm.forEach(s => s.close());
    await sleep(2_000);
    out.heap_before_kib = jcmd ? heapAfterGcKiB(jcmd, pid) : null;
    out.rss_before_kib = rssKiB(pid);
    const t0 = performance.now();
    const sockets = await connectMany(n, 100);
    out.connect_seconds = Math.round(performance.now() - t0) / 1000;
    out.connected = sockets.filter(s => s.connected).length;
    await sleep(5_000); // let the server settle (handshake garbage, buffers)
    out.rss_after_kib = rssKiB(pid);
    out.heap_after_kib = jcmd ? heapAfterGcKiB(jcmd, pid) : null;
    out.rss_after_gc_kib = rssKiB(pid);
    out.still_connected = sockets.filter(s => s.connected).length;
    out.rss_per_connection_bytes = Math.round((out.rss_after_kib - out.rss_before_kib) * 1024 / n);
    if (jcmd) {
        out.heap_per_connection_bytes = Math.round((out.heap_after_kib - out.heap_before_kib) * 1024 / n);
    }
    if (jcmd && process.env.BENCH_NMT) {
        // With -XX:NativeMemoryTracking=summary: the committed memory of each area, in KiB.
        const nmt = execFileSync(jcmd, [String(pid), 'VM.native_memory', 'summary'], { timeout: 30_000 }).toString();
        out.nmt_committed_kib = Object.fromEntries([...nmt.matchAll(/^-\s+([A-Za-z ]+?) \(reserved=\d+KB, committed=(\d+)KB/gm)]
            .map(m => [m[1], Number(m[2])]));
    }
    sockets.forEach(s => s.close());
    return out;
}

/** The trigger of `latency`: POST /notif/mark-ack {uid}; the event: notif.ack. */
function markAck(uid) {
    return {
        event: 'notif.ack',
        matches: () => true,
        request: () => fetch(`${url}/notif/mark-ack`, { method: 'POST',
            headers: { 'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ uid }) }),
    };
}

/**
 * The trigger of `write`: POST /write, multipart as puter.js sends it (fields, then the file), a new 64-byte file
 * `f<i>.txt` in `dir` each round; the event: item.added whose name is that file's.
 */
function writeFile(dir) {
    let i = 0;
    let name = null;
    return {
        event: 'item.added',
        matches: item => item?.name === name,
        request: () => {
            name = `f${i++}.txt`;
            const form = new FormData();
            form.append('path', dir);
            form.append('create_missing_parents', 'true');
            form.append('size', '64');
            form.append('file', new Blob(['x'.repeat(64)], { type: 'text/plain' }), name);
            return fetch(`${url}/write`, { method: 'POST', headers: { 'Authorization': `Bearer ${token}` }, body: form });
        },
    };
}

/** The home folder follows the sign-up through an event: wait (at most 10 s) until the user's Documents exists. */
async function homeReady(dir) {
    for (let i = 0; i < 100; i++) {
        const res = await fetch(`${url}/stat`, { method: 'POST',
            headers: { 'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ path: dir.replace(/\/[^/]*$/, '') }) });
        await res.text();
        if (res.status === 200) return;
        await sleep(100);
    }
    throw new Error(`${dir}'s parent did not appear`);
}

async function latency([clients, iterations, uid], trigger = markAck(uid)) {
    const n = Number(clients);
    const rounds = Number(iterations);
    const warmup = Math.min(50, Math.floor(rounds / 5));
    const sockets = await connectMany(n, 50);
    let current = null; // { t0, arrivals: [], done }
    for (const s of sockets) {
        s.on(trigger.event, (payload) => {
            if (current && trigger.matches(payload)) {
                current.arrivals.push(performance.now() - current.t0);
                if (current.arrivals.length === n) current.done();
            }
        });
    }
    const deliveries = [];
    const lastArrivals = [];
    const http = [];
    let lost = 0;
    for (let i = 0; i < warmup + rounds; i++) {
        const round = { arrivals: [] };
        const all = new Promise(resolve => { round.done = resolve; });
        round.t0 = performance.now();
        current = round;
        const res = await trigger.request();
        const httpMs = performance.now() - round.t0;
        if (res.status !== 200) throw new Error(`${trigger.event}'s request answered ${res.status}: ${await res.text()}`);
        await res.text();
        const timedOut = await Promise.race([all.then(() => false), sleep(5_000).then(() => true)]);
        current = null;
        if (i < warmup) continue;
        if (timedOut) lost += n - round.arrivals.length;
        deliveries.push(...round.arrivals);
        if (!timedOut) lastArrivals.push(Math.max(...round.arrivals));
        http.push(httpMs);
    }
    sockets.forEach(s => s.close());
    return { clients: n, iterations: rounds, warmup, lost,
        delivery_ms: summary(deliveries), last_of_round_ms: summary(lastArrivals), http_ms: summary(http) };
}

async function write([clients, iterations, dir]) {
    await homeReady(dir);
    return { trigger: 'POST /write', dir, ...await latency([clients, iterations], writeFile(dir)) };
}

const result = mode === 'memory' ? await memory(rest) : mode === 'latency' ? await latency(rest)
    : mode === 'write' ? await write(rest) : null;
if (!result) throw new Error('mode: memory, latency or write');
console.log(JSON.stringify(result));
process.exit(0);
