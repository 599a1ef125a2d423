-- POST /drivers/call on puter-kvstore (BENCH_METHOD: set, get or incr), as puter.js sends it
-- (text/plain;actually=json). Requests rotate over the tokens in the file BENCH_TOKENS, one user each, so that
-- KV's per-user limit (200 calls per 10 s and method) is not what is measured; keys rotate over 1,000 per user
-- (incr: one counter per user, so concurrent increments of one key race).
local method = os.getenv("BENCH_METHOD")
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
end
local n = 0
failures = 0
local threads = {}
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain;actually=json"

function setup(thread)
    table.insert(threads, thread)
end

request = function()
    n = n + 1
    local token = tokens[(n % #tokens) + 1]
    local args
    if method == "set" then
        args = '{"key":"k' .. (n % 1000) .. '","value":"value-' .. n .. '"}'
    elseif method == "get" then
        args = '{"key":"k' .. (n % 1000) .. '"}'
    else
        args = '{"key":"counter","pathAndAmountMap":{"":1}}'
    end
    return wrk.format(nil, "/drivers/call", nil, '{"interface":"puter-kvstore","method":"' .. method
        .. '","args":' .. args .. ',"auth_token":"' .. token .. '"}')
end

response = function(status, headers, body)
    if status ~= 200 or not string.find(body, '"success":true', 1, true) then
        failures = failures + 1
        if failures == 1 then io.stderr:write("first failure: " .. status .. " " .. body .. "\n") end
    end
end

done = function(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + t:get("failures") end
    io.write("driver failures: " .. total .. "\n")
end
