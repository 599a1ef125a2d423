// Hearth's socket.io server against the real socket.io-client, as the Puter GUI and puter.js use it.
// HEARTH_URL names a Hearth booted with a test authenticator (token "user-<n>" is user n), an "echo" client event
// that acks with its arguments, POST /test/emit {event, user_id_list, response} emitting outer.gui.<event>,
// POST /test/ask {socket_id, question} emitting "question" to the socket and answering with its ack, and
// notif.unreads sent on web.socket.user-connected.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';

const url = process.env.HEARTH_URL;
assert.ok(url, 'HEARTH_URL must name the Hearth under test');

const open = [];
after(() => open.forEach((s) => s.disconnect()));

function connect(options) {
  const socket = io(url, { reconnection: false, timeout: 10000, ...options });
  open.push(socket);
  return socket;
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, resolve));
}

async function connected(socket) {
  const err = await Promise.race([once(socket, 'connect').then(() => null), once(socket, 'connect_error')]);
  if (err) throw err;
  return socket;
}

async function emitGui(event, userIds, response) {
  const res = await fetch(`${url}/test/emit`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ event, user_id_list: userIds, response }),
  });
  assert.equal(res.status, 200);
}

test('polling first, then the upgrade to WebSocket, like the GUI; outer.gui events arrive', async () => {
  const socket = connect({ auth: { auth_token: 'user-1' }, transports: ['polling', 'websocket'], withCredentials: true });
  await connected(socket);
  const engine = socket.io.engine;
  if (engine.transport.name !== 'websocket') {
    assert.equal(engine.transport.name, 'polling');
    await once(engine, 'upgrade');
  }
  assert.equal(engine.transport.name, 'websocket');
  const received = once(socket, 'item.added');
  await emitGui('item.added', [1], { path: '/alice/rt/note.txt', name: 'note.txt', is_dir: false });
  assert.deepEqual(await received, { path: '/alice/rt/note.txt', name: 'note.txt', is_dir: false });
});

test('polling only: events and acks over long-polling', async () => {
  const socket = await connected(connect({ auth: { auth_token: 'Bearer user-2' }, transports: ['polling'] }));
  assert.equal(socket.io.engine.transport.name, 'polling');
  assert.deepEqual(await socket.timeout(10000).emitWithAck('echo', { over: 'polling' }, 7), { over: 'polling' });
  const received = once(socket, 'item.removed');
  await emitGui('item.removed', [2], { path: '/bob/x', descendants_only: false });
  assert.deepEqual(await received, { path: '/bob/x', descendants_only: false });
});

test('WebSocket only: an acked event, binary included', async () => {
  const socket = await connected(connect({ auth: { auth_token: 'user-3' }, transports: ['websocket'] }));
  assert.equal(socket.io.engine.transport.name, 'websocket');
  assert.equal(await socket.timeout(10000).emitWithAck('echo', 'hello'), 'hello');
  const bytes = await socket.timeout(10000).emitWithAck('echo', Buffer.from([1, 2, 3]));
  assert.deepEqual([...bytes], [1, 2, 3]);
});

test('events reach the listed users only', async () => {
  const alice = await connected(connect({ auth: { auth_token: 'user-4' }, transports: ['websocket'] }));
  const bob = await connected(connect({ auth: { auth_token: 'user-5' }, transports: ['websocket'] }));
  const bobGot = [];
  bob.on('item.updated', (e) => bobGot.push(e));
  const aliceGets = once(alice, 'item.updated');
  await emitGui('item.updated', [4], { path: '/alice/a' });
  assert.deepEqual(await aliceGets, { path: '/alice/a' });
  const bobGets = once(bob, 'item.updated');
  await emitGui('item.updated', [5], { path: '/bob/b' });
  assert.deepEqual(await bobGets, { path: '/bob/b' });
  assert.deepEqual(bobGot, [{ path: '/bob/b' }]);
});

test('trash.is_empty goes to the other sockets of the user', async () => {
  const a = await connected(connect({ auth: { auth_token: 'user-6' }, transports: ['websocket'] }));
  const b = await connected(connect({ auth: { auth_token: 'user-6' }, transports: ['polling'] }));
  const aGot = [];
  a.on('trash.is_empty', (e) => aGot.push(e));
  const bGets = once(b, 'trash.is_empty');
  a.emit('trash.is_empty', { is_empty: true });
  assert.deepEqual(await bGets, { is_empty: true });
  assert.deepEqual(aGot, []);
});

test('puter_is_actually_open is answered; the server asks and the client acknowledges', async () => {
  const socket = await connected(connect({ auth: { auth_token: 'user-7' }, transports: ['polling', 'websocket'] }));
  const unreads = once(socket, 'notif.unreads');
  socket.emit('puter_is_actually_open');
  assert.deepEqual(await unreads, { unreads: [] });
  socket.on('question', (q, ack) => ack({ answer: q.n * 2 }));
  const res = await fetch(`${url}/test/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url },
    body: JSON.stringify({ socket_id: socket.id, question: { n: 21 } }),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { answer: [{ answer: 42 }] });
});

test('a bad token and a missing token are refused with connect_error', async () => {
  for (const [auth, message] of [[{ auth_token: 'not-a-real-token' }, 'socket auth failed'], [{}, 'socket auth token missing']]) {
    for (const transports of [['polling', 'websocket'], ['websocket']]) {
      const socket = connect({ auth, transports });
      const err = await once(socket, 'connect_error');
      assert.equal(err.message, message);
      assert.equal(err.data, undefined);
      assert.equal(socket.connected, false);
    }
  }
});
