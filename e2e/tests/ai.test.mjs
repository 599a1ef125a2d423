// AI chat against Hearth with real clients, every answer from the built-in offline provider (no network, no key):
// puter.ai.chat from puter.js 2.6.3 and 2.2.14 (whole, streamed as NDJSON, with tools, test mode), and the official
// `openai` and `@anthropic-ai/sdk` clients pointed at the compatible endpoints with a Hearth token as their API key
// (drivers-kv-ai.md §4, puterjs-client-contract.md §4.7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { origin, loadSdk } from './hearth.mjs';

/** One account for the file (sign-ups are throttled per address). */
let shared;
function account() {
    shared ??= (async () => {
        const username = `ai_${randomUUID().slice(0, 8)}`;
        const res = await fetch(`${origin}/signup`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Origin: origin },
            body: JSON.stringify({ username, email: `${username}@example.com`, password: `pw-${randomUUID()}`,
                p102xyzname: '' }),
        });
        const body = await res.json();
        assert.equal(res.status, 200, JSON.stringify(body));
        return body.token;
    })();
    return shared;
}

const plain = (value) => JSON.parse(JSON.stringify(value));

const within = (promise, what) => Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle in 15 s`)), 15_000).unref()),
]);

const weather = {
    type: 'function',
    function: {
        name: 'get_weather', description: 'The weather at a place',
        parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
    },
};

function release(puter) {
    try { puter.fs?.socket?.disconnect?.(); } catch { /* not connected */ }
}

/** The text of a chat result in either family's shape. */
function textOf(result) {
    const content = result.message.content;
    return typeof content === 'string' ? content : content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

for (const [version, pkg] of [['2.6.3', '@heyputer/puter.js'], ['2.2.14', 'puter-js-2.2']]) {
    test(`puter.js ${version}: puter.ai.chat whole, streamed and with tools, answered offline`, async () => {
        const puter = loadSdk(pkg);
        try {
            puter.setAuthToken(await account());
            const whole = plain(await within(puter.ai.chat('Say hi'), 'ai.chat'));
            assert.equal(textOf(whole), "This is Hearth's offline model. You said: Say hi");
            assert.equal(whole.finish_reason, 'stop');

            const testMode = plain(await within(puter.ai.chat('In test mode', true), 'ai.chat test mode'));
            assert.match(textOf(testMode), /You said: In test mode$/);

            let text = '';
            const types = [];
            const stream = await within(puter.ai.chat('Stream this', { stream: true, model: 'fake' }), 'stream');
            for await (const part of stream) {
                types.push(part.type);
                if (part.type === 'text') {
                    text += part.text;
                }
            }
            assert.equal(text, "This is Hearth's offline model. You said: Stream this");
            assert.ok(types.length > 2, 'the answer arrived in several lines');
            if (version !== '2.2.14') {
                // 2.2.14's reader may drop the lines that arrive together with the end of the response
                assert.equal(types.at(-1), 'usage');
            }

            const called = plain(await within(puter.ai.chat('Oslo', { tools: [weather] }), 'ai.chat tools'));
            const use = called.message.content.find((b) => b.type === 'tool_use');
            assert.equal(use.name, 'get_weather');
            assert.deepEqual(use.input, { location: 'Oslo' });

            const answered = plain(await within(puter.ai.chat([
                { role: 'user', content: 'Weather in Oslo?' },
                { role: 'assistant', content: null, tool_calls: [{ id: use.id, type: 'function',
                    function: { name: 'get_weather', arguments: JSON.stringify(use.input) } }] },
                { role: 'tool', tool_call_id: use.id, content: 'Sunny' },
            ], { tools: [weather] }), 'ai.chat tool result'));
            assert.equal(textOf(answered), 'The tool `get_weather` returned: Sunny');

            const streamedTools = [];
            for await (const part of await puter.ai.chat('Bergen', { stream: true, tools: [weather] })) {
                streamedTools.push(plain(part));
            }
            assert.equal(streamedTools[0].type, 'tool_use');
            assert.deepEqual(streamedTools[0].input, { location: 'Bergen' });

            const models = plain(await within(puter.ai.listModels(), 'ai.listModels'));
            assert.ok(Array.isArray(models));
        } finally {
            release(puter);
        }
    });
}

test('puter.js 2.6.3: normalize: true gives the OpenAI shape, whose result stringifies to the text', async () => {
    const puter = loadSdk('@heyputer/puter.js');
    try {
        puter.setAuthToken(await account());
        const result = await within(puter.ai.chat('Plain text please', { normalize: true }), 'ai.chat normalize');
        assert.equal(String(result), "This is Hearth's offline model. You said: Plain text please");
    } finally {
        release(puter);
    }
});

test('the npm openai client against /puterai/openai/v1: whole, streamed, tools, errors', async () => {
    const client = new OpenAI({ baseURL: `${origin}/puterai/openai/v1`, apiKey: await account(), maxRetries: 0 });
    const whole = await client.chat.completions.create({ model: 'fake', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(whole.object, 'chat.completion');
    assert.equal(whole.choices[0].message.content, "This is Hearth's offline model. You said: hi");
    assert.ok(whole.usage.total_tokens > 0);

    let text = '';
    let finish;
    const stream = await client.chat.completions.create({ model: 'fake', stream: true,
        messages: [{ role: 'user', content: 'stream' }] });
    for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, "This is Hearth's offline model. You said: stream");
    assert.equal(finish, 'stop');

    const tools = await client.chat.completions.create({ model: 'fake', tools: [weather],
        messages: [{ role: 'user', content: 'Lima' }] });
    assert.equal(tools.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(JSON.parse(tools.choices[0].message.tool_calls[0].function.arguments), { location: 'Lima' });

    await assert.rejects(client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user',
        content: 'x' }] }), (e) => e.status === 404 && e.code === 'model_not_found');
    const anonymous = new OpenAI({ baseURL: `${origin}/puterai/openai/v1`, apiKey: 'not-a-token', maxRetries: 0 });
    await assert.rejects(anonymous.chat.completions.create({ model: 'fake', messages: [{ role: 'user',
        content: 'x' }] }), (e) => e.status === 401);
});

test('the npm openai client: the Responses API, whole, streamed and with a function call', async () => {
    const client = new OpenAI({ baseURL: `${origin}/puterai/openai/v1`, apiKey: await account(), maxRetries: 0 });
    const whole = await client.responses.create({ model: 'fake', instructions: 'Be brief.', input: 'hi there' });
    assert.equal(whole.status, 'completed');
    assert.equal(whole.output_text, "This is Hearth's offline model. You said: hi there");

    let text = '';
    let completed;
    const stream = await client.responses.create({ model: 'fake', input: 'stream it', stream: true });
    for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
            text += event.delta;
        }
        if (event.type === 'response.completed') {
            completed = event.response;
        }
    }
    assert.equal(text, "This is Hearth's offline model. You said: stream it");
    assert.equal(completed.output_text, text);

    const tool = { type: 'function', name: 'get_weather', description: 'weather',
        parameters: weather.function.parameters };
    const called = await client.responses.create({ model: 'fake', tools: [tool], input: 'Nairobi' });
    const call = called.output.find((item) => item.type === 'function_call');
    assert.deepEqual(JSON.parse(call.arguments), { location: 'Nairobi' });
    const answered = await client.responses.create({ model: 'fake', tools: [tool], input: [
        { role: 'user', content: 'Nairobi' }, call,
        { type: 'function_call_output', call_id: call.call_id, output: 'Warm' }] });
    assert.equal(answered.output_text, 'The tool `get_weather` returned: Warm');
});

test('the npm @anthropic-ai/sdk client against /puterai/anthropic: whole, streamed, tools', async () => {
    const client = new Anthropic({ baseURL: `${origin}/puterai/anthropic`, apiKey: await account(), maxRetries: 0 });
    const whole = await client.messages.create({ model: 'fake', max_tokens: 256, system: 'Be brief.',
        messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(whole.type, 'message');
    assert.equal(whole.content[0].text, "This is Hearth's offline model. You said: hello");
    assert.equal(whole.stop_reason, 'end_turn');

    let text = '';
    const stream = await client.messages.create({ model: 'fake', max_tokens: 256, stream: true,
        messages: [{ role: 'user', content: 'stream me' }] });
    for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
            text += event.delta.text;
        }
    }
    assert.equal(text, "This is Hearth's offline model. You said: stream me");

    const helper = client.messages.stream({ model: 'fake', max_tokens: 256, tools: [{ name: 'get_weather',
        description: 'weather', input_schema: weather.function.parameters }],
        messages: [{ role: 'user', content: 'Quito' }] });
    const final = await helper.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const use = final.content.find((b) => b.type === 'tool_use');
    assert.deepEqual(use.input, { location: 'Quito' });
});
