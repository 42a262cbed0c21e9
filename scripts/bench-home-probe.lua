-- wrk script: the home page at a steady pace (one request per connection every 20 ms), to
-- see what other visitors experience while something else loads the server.
delay = function()
  return 20
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("home pages/s=%.0f p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms errors=%d non2xx=%d requests=%d\n",
    summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
