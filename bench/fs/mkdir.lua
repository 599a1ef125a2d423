-- POST /mkdir creating a new folder per request in BENCH_DIR (names BENCH_PREFIX-<n>, dedupe_name on).
local dir, prefix, n = os.getenv("BENCH_DIR"), os.getenv("BENCH_PREFIX"), 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
request = function()
    n = n + 1
    return wrk.format(nil, "/mkdir", nil,
        '{"parent":"' .. dir .. '","path":"' .. prefix .. '-' .. n .. '","dedupe_name":true}')
end
