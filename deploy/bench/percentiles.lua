-- wrk reporter: latency percentiles in milliseconds, including the p95 of the budget.
done = function(summary, latency, requests)
  local p = function(q) return latency:percentile(q) / 1000 end
  io.write(string.format("requests=%d errors=%d p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, p(50), p(95), p(99), latency.max / 1000))
end
