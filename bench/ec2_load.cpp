// ec2_load: a closed-loop load client for EC2 Query endpoints (the simulated region, moto, ...),
// on the project's own client: load calls are SigV4-signed form POSTs sent by aws::HttpClient over
// a keep-alive connection per thread (responses are not parsed, so the client costs the same
// whatever server it measures); fleet setup goes through aws::AwsEc2. BENCHMARKS.md says how
// bench/run.sh uses it.
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "flags.hpp"
#include "fleet_setup.hpp"
#include "load_run.hpp"

namespace {

using ec2m::bench::EndpointConfig;
using ec2m::bench::Flags;
using ec2m::bench::FleetOptions;
using ec2m::bench::LoadOptions;
using ec2m::bench::Take;
using ec2m::bench::TakeNumber;

constexpr const char* kUsage = R"(usage:
  ec2_load --endpoint URL --call NAME [--iterations N] [--seconds T] [--concurrency C]
           [--warmup W] [--timeout S] [--count TAG]
      NAME: describe-instances (full listing, no MaxResults), run-instances (count 1), or
            body:<form body> (sent as is, e.g. body:Action=DescribeVpcs&Version=2016-11-15).
      Stops after N calls or T seconds, whichever comes first (defaults 1000, 30).
      Prints {"calls","seconds","calls_per_s","p50_ms","p99_ms","errors","bytes",...}.
      --count TAG adds "items": the <TAG> elements of the last response (a check, e.g.
      --count instanceId; not for measurements).
  ec2_load --endpoint URL --setup-instances N [--batch B] [--concurrency C] [--seconds T]
      Launches N instances (B per RunInstances call, default 1000) into VPCs 10.K.0.0/16 with
      one /16 subnet each, through aws::AwsEc2 (one attempt per call).
      Prints {"launched","calls","seconds","subnets","error"}.
Common: --region (us-west-2) --access-key (test) --secret-key (test).
Exit status: 0 all calls HTTP 200, 1 some call failed, 2 bad usage.
)";

constexpr const char* kDescribeInstances = "Action=DescribeInstances&Version=2016-11-15";
constexpr const char* kRunInstances =
    "Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890&MinCount=1&MaxCount=1"
    "&InstanceType=t3.micro";

int Usage(const std::string& problem) {
  return ec2m::bench::UsageError("ec2_load", kUsage, problem);
}

std::optional<std::string> CallBody(const std::string& call) {
  if (call == "describe-instances") {
    return kDescribeInstances;
  }
  if (call == "run-instances") {
    return kRunInstances;
  }
  if (call.starts_with("body:")) {
    return call.substr(5);
  }
  return std::nullopt;
}

int Run(Flags flags) {
  EndpointConfig endpoint;
  endpoint.url = Take(flags, "endpoint", "");
  endpoint.region = Take(flags, "region", endpoint.region);
  endpoint.access_key = Take(flags, "access-key", endpoint.access_key);
  endpoint.secret_key = Take(flags, "secret-key", endpoint.secret_key);
  const std::string call = Take(flags, "call", "");
  const std::string count_tag = Take(flags, "count", "");
  double iterations = 1000, seconds = -1, concurrency = 1, warmup = 0, timeout = 300;
  double setup_instances = 0, batch = 1000;
  std::string problem;
  if (!TakeNumber(flags, "iterations", iterations, problem) ||
      !TakeNumber(flags, "seconds", seconds, problem) ||
      !TakeNumber(flags, "concurrency", concurrency, problem) ||
      !TakeNumber(flags, "warmup", warmup, problem) ||
      !TakeNumber(flags, "timeout", timeout, problem) ||
      !TakeNumber(flags, "setup-instances", setup_instances, problem) ||
      !TakeNumber(flags, "batch", batch, problem)) {
    return Usage(problem);
  }
  if (!flags.empty()) {
    return Usage("unknown flag --" + flags.begin()->first);
  }
  if (!endpoint.url.starts_with("http://")) {
    return Usage("--endpoint: expected http://host:port");
  }
  endpoint.timeout_s = static_cast<long>(timeout);

  if (setup_instances > 0) {
    FleetOptions fleet{.instances = static_cast<int64_t>(setup_instances),
                       .batch = static_cast<int>(batch),
                       .concurrency = static_cast<int>(concurrency)};
    if (seconds > 0) {
      fleet.seconds = seconds;
    }
    const auto report = ec2m::bench::SetupFleet(endpoint, fleet);
    std::printf("%s\n", ec2m::bench::FleetJson(report).c_str());
    return report.error.empty() ? 0 : 1;
  }

  const auto body = CallBody(call);
  if (!body) {
    return Usage("--call: expected describe-instances, run-instances or body:..., got '" + call +
                 "'");
  }
  LoadOptions load{.form_body = *body,
                   .iterations = static_cast<int64_t>(iterations),
                   .seconds = seconds > 0 ? seconds : 30,
                   .concurrency = static_cast<int>(concurrency),
                   .warmup = static_cast<int>(warmup),
                   .count_tag = count_tag};
  const auto report = ec2m::bench::RunLoad(endpoint, load);
  std::printf("%s\n", ec2m::bench::ReportJson(report, load).c_str());
  if (!report.first_error.empty()) {
    std::fprintf(stderr, "ec2_load: %lld of %lld calls failed; first: %s\n",
                 static_cast<long long>(report.timing.errors),
                 static_cast<long long>(report.timing.calls), report.first_error.c_str());
  }
  return report.timing.errors == 0 && report.timing.calls > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "ec2_load", kUsage, Run);
}
