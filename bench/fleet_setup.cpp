#include "fleet_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "timing.hpp"

namespace ec2m::bench {
namespace {

constexpr int64_t kUsableAddressesPerSlash16 = 65536 - 5;  // AWS reserves 5 per subnet

std::string Failure(const std::string& what, const Error& error) {
  return fmt::format("{}: {}{}", what, error.aws_code.empty() ? "" : error.aws_code + ": ",
                     error.ToString());
}

// Creates VPC 10.<index>.0.0/16 and a subnet covering all of it; returns the subnet id, or an
// empty string with `error` set.
std::string CreateBigSubnet(aws::AwsEc2& ec2, int index, std::string& error) {
  const std::string cidr = fmt::format("10.{}.0.0/16", index);
  CreateVpcRequest vpc_req;
  vpc_req.cidr_block = cidr;
  auto vpc = ec2.CreateVpc(vpc_req);
  if (!vpc) {
    error = Failure("CreateVpc " + cidr, vpc.error());
    return "";
  }
  CreateSubnetRequest subnet_req;
  subnet_req.vpc_id = vpc->vpc_id;
  subnet_req.cidr_block = cidr;
  auto subnet = ec2.CreateSubnet(subnet_req);
  if (!subnet) {
    error = Failure("CreateSubnet " + cidr + " in " + vpc->vpc_id, subnet.error());
    return "";
  }
  return subnet->subnet_id;
}

struct Batch {
  std::string subnet_id;
  int64_t count = 0;
};

// Splits the fleet into RunInstances calls, filling each subnet before using the next.
std::vector<Batch> PlanBatches(const FleetOptions& options, const std::vector<std::string>& subnets,
                               int64_t per_subnet) {
  std::vector<Batch> batches;
  int64_t remaining = options.instances;
  for (const auto& subnet : subnets) {
    int64_t room = per_subnet;
    while (remaining > 0 && room > 0) {
      const int64_t n = std::min<int64_t>({options.batch, remaining, room});
      batches.push_back({subnet, n});
      remaining -= n;
      room -= n;
    }
  }
  return batches;
}

}  // namespace

FleetReport SetupFleet(const EndpointConfig& endpoint, const FleetOptions& options) {
  FleetReport report;
  const auto start = SteadyClock::now();
  const int64_t batch = std::max(1, options.batch);
  const int64_t per_subnet = kUsableAddressesPerSlash16 / batch * batch;
  const int64_t subnets_needed = (options.instances + per_subnet - 1) / per_subnet;
  SystemClock clock;
  DefaultRandom random;
  aws::AwsEc2 ec2(Ec2Options(endpoint), clock, random);  // thread-safe: one for every worker
  for (int i = 0; i < subnets_needed; ++i) {
    std::string subnet = CreateBigSubnet(ec2, i, report.error);
    if (subnet.empty()) {
      return report;
    }
    report.subnet_ids.push_back(std::move(subnet));
  }

  const std::vector<Batch> batches = PlanBatches(options, report.subnet_ids, per_subnet);
  const auto deadline = Deadline(start, options.seconds);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;  // guards report.launched, report.calls, report.error below
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < batches.size() && !failed.load();
         i = next.fetch_add(1)) {
      if (SteadyClock::now() >= deadline) {
        std::lock_guard lock(mu);
        report.error = "gave up: setup time limit reached";
        failed = true;
        return;
      }
      const Batch& b = batches[i];
      RunInstancesRequest req;
      req.image_id = options.image_id;
      req.instance_type = options.instance_type;
      req.min_count = req.max_count = static_cast<int>(b.count);
      req.subnet_id = b.subnet_id;
      auto launched = ec2.RunInstances(req);
      std::lock_guard lock(mu);
      ++report.calls;
      if (!launched) {
        report.error = Failure("RunInstances", launched.error());
        failed = true;
        return;
      }
      report.launched += static_cast<int64_t>(launched->instances.size());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, options.concurrency); ++t) {
    pool.emplace_back(worker);
  }
  for (auto& t : pool) {
    t.join();
  }
  report.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  return report;
}

std::string FleetJson(const FleetReport& report) {
  std::string subnets;
  for (const auto& s : report.subnet_ids) {
    subnets += (subnets.empty() ? "\"" : ",\"") + s + "\"";
  }
  std::string error;
  for (char c : report.error) {
    if (c == '"' || c == '\\') {
      error += '\\';
    }
    error += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return fmt::format(
      "{{\"launched\":{},\"calls\":{},\"seconds\":{:.3f},\"subnets\":[{}],\"error\":\"{}\"}}",
      report.launched, report.calls, report.seconds, subnets, error);
}

}  // namespace ec2m::bench
