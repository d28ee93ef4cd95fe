#include "fleet_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace ec2m::bench {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int64_t kUsableAddressesPerSlash16 = 65536 - 5;  // AWS reserves 5 per subnet
constexpr size_t kKeepSetupBody = 64 * 1024;

// The text of the first <tag>...</tag> in `xml`; empty when absent.
std::string FirstElement(const std::string& xml, const std::string& tag) {
  const std::string open = "<" + tag + ">";
  const auto begin = xml.find(open);
  if (begin == std::string::npos) {
    return "";
  }
  const auto start = begin + open.size();
  const auto end = xml.find("</" + tag + ">", start);
  return end == std::string::npos ? "" : xml.substr(start, end - start);
}

std::string Failure(const std::string& what, const CallResult& r) {
  if (r.status == 0) {
    return what + ": no response: " + r.error;
  }
  return fmt::format("{}: HTTP {}: {}", what, r.status, r.body.substr(0, 400));
}

// Creates VPC 10.<index>.0.0/16 and a subnet covering all of it; returns the subnet id, or an
// empty string with `error` set.
std::string CreateBigSubnet(QueryClient& client, int index, std::string& error) {
  const std::string cidr = fmt::format("10.{}.0.0%2F16", index);
  CallResult vpc =
      client.Call("Action=CreateVpc&Version=2016-11-15&CidrBlock=" + cidr, kKeepSetupBody);
  const std::string vpc_id = FirstElement(vpc.body, "vpcId");
  if (vpc.status != 200 || vpc_id.empty()) {
    error = Failure("CreateVpc " + cidr, vpc);
    return "";
  }
  CallResult subnet =
      client.Call("Action=CreateSubnet&Version=2016-11-15&VpcId=" + vpc_id + "&CidrBlock=" + cidr,
                  kKeepSetupBody);
  const std::string subnet_id = FirstElement(subnet.body, "subnetId");
  if (subnet.status != 200 || subnet_id.empty()) {
    error = Failure("CreateSubnet " + cidr + " in " + vpc_id, subnet);
    return "";
  }
  return subnet_id;
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
  QueryClient setup_client(endpoint);
  for (int i = 0; i < subnets_needed; ++i) {
    std::string subnet = CreateBigSubnet(setup_client, i, report.error);
    if (subnet.empty()) {
      return report;
    }
    report.subnet_ids.push_back(std::move(subnet));
  }

  const std::vector<Batch> batches = PlanBatches(options, report.subnet_ids, per_subnet);
  const auto deadline = start + std::chrono::duration_cast<SteadyClock::duration>(
                                    std::chrono::duration<double>(options.seconds));
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;  // guards report.launched, report.calls, report.error below
  auto worker = [&] {
    QueryClient client(endpoint);
    for (size_t i = next.fetch_add(1); i < batches.size() && !failed.load();
         i = next.fetch_add(1)) {
      if (SteadyClock::now() >= deadline) {
        std::lock_guard lock(mu);
        report.error = "gave up: setup time limit reached";
        failed = true;
        return;
      }
      const Batch& b = batches[i];
      CallResult r = client.Call(
          fmt::format("Action=RunInstances&Version=2016-11-15&ImageId={}&InstanceType={}"
                      "&MinCount={}&MaxCount={}&SubnetId={}",
                      options.image_id, options.instance_type, b.count, b.count, b.subnet_id));
      std::lock_guard lock(mu);
      ++report.calls;
      if (r.status != 200) {
        report.error = Failure("RunInstances", r);
        failed = true;
        return;
      }
      report.launched += b.count;
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
