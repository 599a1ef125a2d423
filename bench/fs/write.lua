-- POST /write (multipart as puter.js sends it: path, size, then the file part) of a new 1 KiB file per
-- request in BENCH_DIR (names BENCH_PREFIX-<n>.txt).
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
    local body = field("path", dir) .. field("size", "1024")
        .. "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. prefix .. "-" .. n
        .. ".txt\"\r\nContent-Type: text/plain\r\n\r\n" .. payload .. "\r\n--" .. b .. "--\r\n"
    return wrk.format(nil, "/write", nil, body)
end
