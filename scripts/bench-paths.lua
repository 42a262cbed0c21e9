-- wrk script: each request is a random path from the file named by the PATHS variable;
-- prints requests/s and latency percentiles on one line.
local paths = {}

init = function(args)
  for line in io.lines(os.getenv("PATHS")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() + math.random(1000))
end

-- COOKIE (optional): sent with every request.
local cookie = os.getenv("COOKIE")
local headers = {}
if cookie and cookie ~= "" then headers["Cookie"] = cookie end

request = function()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms errors=%d non2xx=%d requests=%d\n",
    summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests))
end
