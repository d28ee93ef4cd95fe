#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "query_client.hpp"

namespace ec2m::bench {

// One closed-loop load run: `concurrency` threads, each with its own keep-alive connection, send
// `form_body` back to back until `iterations` calls were sent in all or `seconds` have passed,
// whichever comes first (both bounds always apply).
struct LoadOptions {
  std::string form_body;
  int64_t iterations = 1000;
  double seconds = 30;
  int concurrency = 1;
  int warmup = 0;  // untimed calls per thread before the clock starts
  // When set, whole bodies are kept (slower: use for checks, not measurements) and the report
  // counts the <count_tag> elements of the last response, e.g. "instanceId".
  std::string count_tag;
};

// What a run measured. Latencies are those of every timed call, errors included.
struct LoadReport {
  int64_t calls = 0;
  int64_t errors = 0;  // not HTTP 200, or no response
  uint64_t bytes = 0;  // response bodies of timed calls
  double seconds = 0;
  std::vector<double> latencies_ms;  // sorted ascending
  std::string first_error;           // status and start of the body of the first failure
  int64_t items = -1;                // <count_tag> elements in the last response; -1: not counted
};

// Runs the load described by `options` against `endpoint`. Blocks until every thread is done.
LoadReport RunLoad(const EndpointConfig& endpoint, const LoadOptions& options);

// The nearest-rank percentile `p` (0..1) of sorted `values`; 0 when empty.
double Percentile(const std::vector<double>& sorted, double p);

// The report as one JSON object: calls, seconds, calls_per_s, p50_ms, p99_ms, errors, bytes, and
// a few more figures (mean_ms, max_ms, concurrency, items when counted).
std::string ReportJson(const LoadReport& report, const LoadOptions& options);

}  // namespace ec2m::bench
