#pragma once

#include <cstdint>
#include <string>

#include "endpoint.hpp"
#include "timing.hpp"

namespace ec2m::bench {

// One closed-loop load run: `concurrency` threads, each with its own aws::HttpClient (so its own
// keep-alive connection), send `form_body` signed with SigV4 back to back until `iterations`
// calls were sent in all or `seconds` have passed, whichever comes first (both bounds always
// apply). Responses are received whole and not parsed: the run measures the server, not XML
// parsing in the client.
struct LoadOptions {
  std::string form_body;
  int64_t iterations = 1000;
  double seconds = 30;
  int concurrency = 1;
  int warmup = 0;  // untimed calls per thread before the clock starts
  // When set, the report counts the <count_tag> elements of the last response, e.g.
  // "instanceId" (a check, not part of a measurement).
  std::string count_tag;
};

// What a run measured. Latencies are those of every timed call, errors included (an error is a
// status other than HTTP 200, or no response).
struct LoadReport {
  Timing timing;
  uint64_t bytes = 0;       // response bodies of timed calls
  std::string first_error;  // status and start of the body of the first failure
  int64_t items = -1;       // <count_tag> elements in the last response; -1: not counted
};

// Runs the load described by `options` against `endpoint`. Blocks until every thread is done.
LoadReport RunLoad(const EndpointConfig& endpoint, const LoadOptions& options);

// The report as one JSON object: calls, seconds, calls_per_s, p50_ms, p99_ms, mean_ms, max_ms,
// errors, bytes, concurrency, and items when counted.
std::string ReportJson(const LoadReport& report, const LoadOptions& options);

}  // namespace ec2m::bench
