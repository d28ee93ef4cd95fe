// describe_page: the client-side cost of one DescribeInstances page in ec2m's EC2 client, against
// a server that answers every request with the same canned bytes (bench/run.sh serves a captured
// 1,000-instance page with nginx), so what is timed is the client: SigV4 signing, the libcurl
// exchange and pugixml parsing into the domain types. bench/botocore_page.py is its peer.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cloud/aws/aws_ec2.hpp"
#include "cloud/aws/http_client.hpp"
#include "cloud/query/client_responses.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "endpoint.hpp"
#include "flags.hpp"
#include "timing.hpp"

namespace {

using ec2m::bench::Flags;
using ec2m::bench::Take;
using ec2m::bench::TakeNumber;
using ec2m::bench::Timing;

constexpr const char* kUsage = R"(usage:
  describe_page --mode client --endpoint URL [LOOP]
      AwsEc2::DescribeInstances(MaxResults=1000) in a loop: sign, send, parse.
  describe_page --mode bare --endpoint URL [LOOP]
      The same request body over aws::HttpClient, unsigned, response not parsed: the transport
      and server floor under the client mode.
  describe_page --mode parse --file PATH [LOOP]
      query::ParseDescribeInstancesResponse over the file's bytes in memory: no network.
LOOP: [--iterations N] [--seconds T] [--warmup W]: W untimed calls (default 3), then N calls
      (default 500) or T seconds (default 60), whichever comes first.
Prints {"mode","instances","bytes","calls","seconds","calls_per_s","p50_ms","p99_ms",...}:
the last call's instances (client, parse) and response bytes (bare, parse).
Exit status: 0 every call succeeded, 1 some call failed, 2 bad usage.
)";

constexpr int kPageSize = 1000;
// What AwsEc2 sends for DescribeRequest{.max_results = kPageSize}.
constexpr const char* kDescribePage = "Action=DescribeInstances&Version=2016-11-15&MaxResults=1000";

int Usage(const std::string& problem) {
  return ec2m::bench::UsageError("describe_page", kUsage, problem);
}

size_t CountInstances(const ec2m::Page<ec2m::Reservation>& page) {
  size_t n = 0;
  for (const auto& r : page.items) {
    n += r.instances.size();
  }
  return n;
}

// What the last call of a loop saw, for the report and for the first failure's message.
struct LastCall {
  size_t instances = 0;
  size_t bytes = 0;
  std::string error;
};

// Notes a parsed page (or its error) in `last`; whether it parsed.
bool Record(const ec2m::Result<ec2m::Page<ec2m::Reservation>>& page, LastCall& last) {
  if (!page) {
    last.error = page.error().ToString();
    return false;
  }
  last.instances = CountInstances(*page);
  return true;
}

struct LoopOptions {
  int64_t iterations = 500;
  double seconds = 60;
  int warmup = 3;
};

Timing TimeClient(const ec2m::bench::EndpointConfig& endpoint, const LoopOptions& loop,
                  LastCall& last) {
  ec2m::SystemClock clock;
  ec2m::DefaultRandom random;
  ec2m::aws::AwsEc2 ec2(ec2m::bench::Ec2Options(endpoint), clock, random);
  ec2m::DescribeRequest req;
  req.max_results = kPageSize;
  return ec2m::bench::TimeLoop([&] { return Record(ec2.DescribeInstances(req), last); },
                               loop.iterations, loop.seconds, loop.warmup);
}

Timing TimeBare(const ec2m::bench::EndpointConfig& endpoint, const LoopOptions& loop,
                LastCall& last) {
  ec2m::aws::HttpClient http(ec2m::bench::HttpOptions(endpoint));
  const std::string url = endpoint.url + "/";
  const std::string body = kDescribePage;
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  return ec2m::bench::TimeLoop(
      [&] {
        const auto r = http.Post(url, headers, body);
        last.bytes = r.body.size();
        if (r.status != 200) {
          last.error = r.status == 0 ? r.transport_error : "HTTP " + std::to_string(r.status);
          return false;
        }
        return true;
      },
      loop.iterations, loop.seconds, loop.warmup);
}

Timing TimeParse(const std::string& xml, const LoopOptions& loop, LastCall& last) {
  last.bytes = xml.size();
  return ec2m::bench::TimeLoop(
      [&] { return Record(ec2m::query::ParseDescribeInstancesResponse(xml), last); },
      loop.iterations, loop.seconds, loop.warmup);
}

bool ReadFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return false;
  }
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

int Run(Flags flags) {
  ec2m::bench::EndpointConfig endpoint;
  endpoint.url = Take(flags, "endpoint", "");
  endpoint.timeout_s = 60;
  const std::string mode = Take(flags, "mode", "client");
  const std::string file = Take(flags, "file", "");
  double iterations = 500, seconds = 60, warmup = 3;
  std::string problem;
  if (!TakeNumber(flags, "iterations", iterations, problem) ||
      !TakeNumber(flags, "seconds", seconds, problem) ||
      !TakeNumber(flags, "warmup", warmup, problem)) {
    return Usage(problem);
  }
  if (!flags.empty()) {
    return Usage("unknown flag --" + flags.begin()->first);
  }
  const LoopOptions loop{.iterations = static_cast<int64_t>(iterations),
                         .seconds = seconds,
                         .warmup = static_cast<int>(warmup)};
  LastCall last;
  Timing timing;
  if (mode == "parse") {
    std::string xml;
    if (!ReadFile(file, xml)) {
      return Usage("--file: cannot read '" + file + "'");
    }
    timing = TimeParse(xml, loop, last);
  } else if (mode == "client" || mode == "bare") {
    if (!endpoint.url.starts_with("http://")) {
      return Usage("--endpoint: expected http://host:port");
    }
    timing = mode == "client" ? TimeClient(endpoint, loop, last) : TimeBare(endpoint, loop, last);
  } else {
    return Usage("--mode: expected client, bare or parse, got '" + mode + "'");
  }
  std::printf("{\"mode\":\"%s\",\"instances\":%zu,\"bytes\":%zu,%s}\n", mode.c_str(),
              last.instances, last.bytes, ec2m::bench::TimingJsonMembers(timing).c_str());
  if (timing.errors > 0) {
    std::fprintf(stderr, "describe_page: %lld of %lld calls failed; last: %s\n",
                 static_cast<long long>(timing.errors), static_cast<long long>(timing.calls),
                 last.error.c_str());
  }
  return timing.errors == 0 && timing.calls > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "describe_page", kUsage, Run);
}
