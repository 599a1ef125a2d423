-- GET BENCH_URLPATH with Bearer BENCH_TOKEN.
wrk.method = "GET"
wrk.path = os.getenv("BENCH_URLPATH")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
