-- POST /batch (multipart as puter.js sends it) with two operations per request: a mkdir of a new folder and a
-- write of a new 1 KiB file into BENCH_DIR (names BENCH_PREFIX-<n>).
local dir, prefix, n = os.getenv("BENCH_DIR"), os.getenv("BENCH_PREFIX"), 0
local b = "hearthbenchboundary7d3f"
local payload = string.rep("x", 1024)
wrk.method = "POST"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. b
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
local function field(name, value)
    return "--" .. b .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end
request = function()
    n = n + 1
    local name = prefix .. "-" .. n
    local body = field("operation", '{"op":"mkdir","path":"' .. dir .. '/' .. name .. '-d"}')
        .. field("operation", '{"op":"write","path":"' .. dir .. '","name":"' .. name .. '.txt"}')
        .. field("fileinfo", '{"name":"' .. name .. '.txt","type":"text/plain","size":1024}')
        .. "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. name
        .. ".txt\"\r\nContent-Type: text/plain\r\n\r\n" .. payload .. "\r\n--" .. b .. "--\r\n"
    return wrk.format(nil, "/batch", nil, body)
end
