-- wrk script: the holder's certificate copy downloaded over and over with the session cookie
-- in BENCH_COOKIE; prints downloads/s, latency and any refusals.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("downloads/s=%.1f p50=%.1fms p95=%.1fms p99=%.1fms max=%.1fms errors=%d non2xx=%d downloads=%d bytes/download=%.0f\n",
    summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests, summary.bytes / math.max(summary.requests, 1)))
end
