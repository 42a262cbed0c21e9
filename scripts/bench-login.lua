-- wrk script: logins of the demo accounts with their right password, round robin (the
-- production argon2id parameters run for each); prints logins/s and latency percentiles.
local accounts = {
  "kind=person&login_id=110105198003150039&password=Demo%402026",
  "kind=person&login_id=310104199007220044&password=Demo%402026",
  "kind=enterprise&login_id=91110000MA01ABCD1M&password=Demo%402026",
}
local n = 0

request = function()
  n = n + 1
  return wrk.format("POST", "/api/login", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }, accounts[(n % #accounts) + 1])
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("logins/s=%.1f p50=%.0fms p95=%.0fms p99=%.0fms errors=%d non2xx=%d logins=%d\n",
    summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
