-- POST a fixed JSON body: BENCH_URLPATH, BENCH_BODY; Bearer BENCH_TOKEN.
wrk.method = "POST"
wrk.path = os.getenv("BENCH_URLPATH")
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
