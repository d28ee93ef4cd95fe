// deploy_bench: a blue-green deployment of a new image to an instance group of N instances
// (issue 7), as the server's deployer carries it out: release::Deployer over a stack::Provisioner
// whose environments reach the EC2 endpoint (`ec2m sim serve`) through the project's client,
// with a SQLite store and the real clock. The deployer's passes are driven back to back (the
// server runs one a second), so the time is the engine's and the cloud's, not the loop's. Each
// pass is timed with the EC2 calls and store calls made in it. Then the peer: the same change
// made the other way ec2m can make it, a `provision` of the config with the new image (stack
// Apply replacing every instance, 16 steps in flight) on a second environment of the same size.
// Both must leave their environment converged: an empty plan and exactly N live instances.
// bench/deploy_bench.sh runs it.
#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "busy_time.hpp"
#include "cloud/aws/aws_ec2.hpp"
#include "core/clock.hpp"
#include "core/paging.hpp"
#include "core/random.hpp"
#include "endpoint.hpp"
#include "flags.hpp"
#include "metered_ec2.hpp"
#include "metered_store.hpp"
#include "release/deployer.hpp"
#include "release/release.hpp"
#include "stack/provisioner.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "timing.hpp"

namespace {

using ec2m::Result;
using ec2m::bench::BusyTime;
using ec2m::bench::Flags;
using ec2m::bench::MeteredEc2;
using ec2m::bench::MeteredStore;
using ec2m::bench::SteadyClock;
using nlohmann::json;

constexpr const char* kUsage = R"(usage:
  deploy_bench --endpoint URL [--instances N] [--store-dir DIR]
      On an EC2 endpoint holding nothing of environments "bluegreen" and "inplace", provisions
      both with one instance group "web" of N instances (default 100, at most 1000) on
      ami-0123456789abcdef0, then deploys a release of ami-0fedcba9876543210 to bluegreen's group
      blue-green (stabilization and watch 0 s), driving the deployer's passes back to back until
      the deployment ends; then provisions inplace with the same image change (every instance
      replaced by stack::Apply). The store is SQLite in DIR (default: a temp dir, removed).
Prints {"instances","blue_green": {...},"in_place": {...},"setup": {...}}.
Exit status: 0 done, 1 the deployment did not succeed, an apply failed, or an environment was
not converged afterwards (a plan not empty, not exactly N live instances), 2 bad usage.
)";

constexpr const char* kBlueImage = "ami-0123456789abcdef0";
constexpr const char* kGreenImage = "ami-0fedcba9876543210";
constexpr const char* kBlueGreen = "bluegreen";
constexpr const char* kInPlace = "inplace";
constexpr int kMaxInstances = 1000;  // one instance group
constexpr int kMaxPasses = 100'000;  // a deployment that never ends is a failure, not a hang

double MsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
}

double Round1(double v) { return std::round(v * 10) / 10; }

// Environment `name`: one VPC over three zones (public and private subnets), one security group,
// instance group "web" of `instances` instances of `image`; deployments without waits.
std::string ConfigText(const std::string& name, int instances, const std::string& image) {
  return fmt::format(R"({{"environment": "{}", "region": "us-west-2",
    "vpc": {{"cidr": "10.0.0.0/16", "maxAzs": 3,
            "subnets": [{{"name": "public", "type": "public", "cidrMask": 24}},
                        {{"name": "private", "type": "private", "cidrMask": 20}}]}},
    "securityGroups": [{{"name": "web", "ingress": [{{"port": 443, "cidr": "10.0.0.0/8"}}]}}],
    "instanceGroups": [{{"name": "web", "image": "{}", "instanceType": "t3.micro",
                         "count": {}, "securityGroups": ["web"]}}],
    "removalPolicy": "DESTROY",
    "deployment": {{"stabilizationSeconds": 0, "watchSeconds": 0, "healthTimeoutSeconds": 600}}}})",
                     name, image, instances);
}

// Where every measurement reads, writes and counts.
struct Bench {
  ec2m::Ec2& ec2;  // unmetered: the bench's own checks
  MeteredEc2& metered;
  MeteredStore& store;
  BusyTime& either;  // an EC2 call or a store call in flight
  ec2m::stack::Provisioner& provisioner;
  int instances = 0;
};

// Calls and time, added up over passes or phases.
struct Tally {
  int passes = 0;  // of the deployer
  double wall_ms = 0;
  MeteredEc2::Usage ec2;
  MeteredStore::Usage store;
  double either_busy_ms = 0;

  void Add(const Tally& t) {
    passes += t.passes;
    wall_ms += t.wall_ms;
    ec2.busy_ms += t.ec2.busy_ms;
    for (const auto& [action, s] : t.ec2.by_action) {
      ec2.by_action[action].calls += s.calls;
      ec2.by_action[action].ms += s.ms;
    }
    store.busy_ms += t.store.busy_ms;
    for (const auto& [method, s] : t.store.by_method) {
      store.by_method[method].calls += s.calls;
      store.by_method[method].ms += s.ms;
    }
    either_busy_ms += t.either_busy_ms;
  }
};

// What the meters counted since they were last taken, over `wall_ms` of time.
Tally Take(Bench& b, double wall_ms, int passes) {
  Tally t;
  t.passes = passes;
  t.wall_ms = wall_ms;
  t.ec2 = b.metered.Take();
  t.store = b.store.Take();
  t.either_busy_ms = b.either.TakeMs();
  return t;
}

// The figures of a tally: EC2 calls by action and their time (summed, and as wall time with a
// call in flight), the overhead (the wall time with no EC2 call in flight), the store's calls
// and time, and the engine's own time (with neither an EC2 call nor a store call in flight).
json TallyJson(const Tally& t) {
  json by_action = json::object();
  for (const auto& [action, s] : t.ec2.by_action) {
    by_action[action] = {{"calls", s.calls}, {"ms_sum", Round1(s.ms)}};
  }
  json by_method = json::object();
  for (const auto& [method, s] : t.store.by_method) {
    by_method[method] = {{"calls", s.calls}, {"ms_sum", Round1(s.ms)}};
  }
  const double share = t.wall_ms > 0 ? 1 / t.wall_ms : 0.0;
  const double overhead = t.wall_ms - t.ec2.busy_ms;
  const double own = t.wall_ms - t.either_busy_ms;
  return {{"wall_ms", Round1(t.wall_ms)},
          {"ec2_calls", t.ec2.Calls()},
          {"ec2_calls_by_action", by_action},
          {"ec2_ms_sum", Round1(t.ec2.SummedMs())},
          {"ec2_busy_ms", Round1(t.ec2.busy_ms)},
          {"overhead_ms", Round1(overhead)},
          {"overhead_share", overhead * share},
          {"store_calls", t.store.Calls()},
          {"store_by_method", by_method},
          {"store_ms_sum", Round1(t.store.SummedMs())},
          {"store_busy_ms", Round1(t.store.busy_ms)},
          {"store_outside_ec2_ms", Round1(t.either_busy_ms - t.ec2.busy_ms)},
          {"own_ms", Round1(own)},
          {"own_share", own * share}};
}

// Provisions `environment` with `config_text` (the config in force when nullopt) and waits for
// the apply; the change set's status must be "succeeded".
Result<Tally> ProvisionAndWait(Bench& b, const std::string& environment,
                               const std::optional<std::string>& config_text) {
  (void)Take(b, 0, 0);
  const auto start = SteadyClock::now();
  auto started = b.provisioner.Provision(environment, "deploy_bench", config_text, false);
  EC2M_RETURN_IF_ERROR(started);
  b.provisioner.Wait();
  const Tally t = Take(b, MsSince(start), 0);
  if (!started->change_set) {
    return ec2m::Fail(ec2m::ErrorCode::kFailedPrecondition, environment + ": nothing to apply");
  }
  auto cs = b.provisioner.change_sets().Get(started->change_set->id);
  EC2M_RETURN_IF_ERROR(cs);
  if (cs->status != "succeeded") {
    return ec2m::Fail(ec2m::ErrorCode::kInternal,
                      fmt::format("{}: {} {}: {}", environment, cs->id, cs->status, cs->result));
  }
  return t;
}

// Whether `environment` is converged on `image`: its plan is empty and exactly b.instances of
// its instances are not terminated (or going), all of `image`. Reads through the unmetered
// client except for the plan (whose calls the caller discards).
Result<json> Converged(Bench& b, const std::string& environment, const std::string& image) {
  auto plan = b.provisioner.MakePlanFor(environment, std::nullopt, false);
  EC2M_RETURN_IF_ERROR(plan);
  (void)Take(b, 0, 0);
  ec2m::DescribeRequest req;
  req.filters = {{"tag:Environment", {environment}}};
  auto all = ec2m::DescribeAll(
      req, [&](const ec2m::DescribeRequest& r) { return b.ec2.DescribeInstances(r); });
  EC2M_RETURN_IF_ERROR(all);
  int live = 0;
  int live_on_image = 0;
  for (const ec2m::Reservation& res : *all) {
    for (const ec2m::Instance& i : res.instances) {
      if (i.state != ec2m::InstanceState::kTerminated &&
          i.state != ec2m::InstanceState::kShuttingDown) {
        ++live;
        live_on_image += i.image_id == image ? 1 : 0;
      }
    }
  }
  const bool ok = plan->plan.empty() && live == b.instances && live_on_image == b.instances;
  return json{{"ok", ok},
              {"plan_changes", plan->plan.changes.size()},
              {"live_instances", live},
              {"live_on_new_image", live_on_image}};
}

// The blue-green deployment: the release, Deploy, then passes until the deployment is final.
// Per pass, the state it started in; the tallies by that state and in all.
Result<json> BlueGreen(Bench& b, ec2m::release::Releases& releases,
                       ec2m::release::Deployer& deployer) {
  ec2m::release::Release r;
  r.group = "web";
  r.environment = kBlueGreen;
  r.image = kGreenImage;
  r.author = "deploy_bench";
  auto release = deployer.CreateRelease(r);
  EC2M_RETURN_IF_ERROR(release);
  (void)Take(b, 0, 0);
  std::map<std::string, Tally> by_state;
  double polling_ms = 0;  // the bench's own reads of the deployment, left out of the total
  const std::clock_t cpu_start = std::clock();
  const auto start = SteadyClock::now();
  auto d = deployer.Deploy({kBlueGreen, "web", release->id, "deploy_bench", "", "", ""});
  EC2M_RETURN_IF_ERROR(d);
  by_state["(deploy request)"] = Take(b, MsSince(start), 0);
  std::string state = d->state;
  for (int pass = 0; !ec2m::release::IsFinal(state) && pass < kMaxPasses; ++pass) {
    const auto pass_start = SteadyClock::now();
    deployer.RunOnce();
    by_state[state].Add(Take(b, MsSince(pass_start), 1));
    const auto poll_start = SteadyClock::now();
    auto now = releases.GetDeployment(d->id);
    EC2M_RETURN_IF_ERROR(now);
    (void)Take(b, 0, 0);  // the bench's read, not the engine's
    state = now->state;
    polling_ms += MsSince(poll_start);
  }
  const double wall_with_polling_ms = MsSince(start);
  const double cpu_s = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  Tally total;
  for (const auto& [name, t] : by_state) {
    total.Add(t);
  }
  auto final_d = releases.GetDeployment(d->id);
  EC2M_RETURN_IF_ERROR(final_d);
  json phases = json::object();
  for (const auto& [name, t] : by_state) {
    phases[name] = TallyJson(t);
    phases[name]["passes"] = t.passes;
  }
  json out = TallyJson(total);
  out["state"] = final_d->state;
  out["reason"] = final_d->reason;
  out["passes"] = total.passes;
  out["green"] = final_d->green.size();
  out["blue"] = final_d->blue.size();
  out["cpu_s"] = cpu_s;
  out["polling_ms"] = Round1(polling_ms);
  out["wall_with_polling_ms"] = Round1(wall_with_polling_ms);
  out["phases"] = phases;
  out["events"] = final_d->events.size();
  return out;
}

// The peer: the config with the new image provisioned, every instance replaced by the apply.
Result<json> InPlace(Bench& b, const std::string& config_text) {
  const std::clock_t cpu_start = std::clock();
  auto t = ProvisionAndWait(b, kInPlace, config_text);
  EC2M_RETURN_IF_ERROR(t);
  json out = TallyJson(*t);
  out["cpu_s"] = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return out;
}

// Sets both environments up, deploys, provisions the peer, checks both; the program's JSON.
Result<json> Measure(Bench& b, ec2m::release::Releases& releases,
                     ec2m::release::Deployer& deployer) {
  std::fprintf(stderr, "deploy_bench: provisioning %s and %s, %d instances each\n", kBlueGreen,
               kInPlace, b.instances);
  auto setup_bg = ProvisionAndWait(b, kBlueGreen, std::nullopt);
  EC2M_RETURN_IF_ERROR(setup_bg);
  auto setup_ip = ProvisionAndWait(b, kInPlace, std::nullopt);
  EC2M_RETURN_IF_ERROR(setup_ip);
  std::fprintf(stderr, "deploy_bench: blue-green deployment of %s to %s\n", kGreenImage,
               kBlueGreen);
  auto bg = BlueGreen(b, releases, deployer);
  EC2M_RETURN_IF_ERROR(bg);
  auto bg_check = Converged(b, kBlueGreen, kGreenImage);
  EC2M_RETURN_IF_ERROR(bg_check);
  (*bg)["converged"] = *bg_check;
  std::fprintf(stderr, "deploy_bench: provisioning %s with %s (the peer)\n", kInPlace, kGreenImage);
  auto ip = InPlace(b, ConfigText(kInPlace, b.instances, kGreenImage));
  EC2M_RETURN_IF_ERROR(ip);
  auto ip_check = Converged(b, kInPlace, kGreenImage);
  EC2M_RETURN_IF_ERROR(ip_check);
  (*ip)["converged"] = *ip_check;
  return json{{"instances", b.instances},
              {"blue_green", *bg},
              {"in_place", *ip},
              {"setup",
               {{kBlueGreen, TallyJson(*setup_bg)["wall_ms"]},
                {kInPlace, TallyJson(*setup_ip)["wall_ms"]}}}};
}

// A temp dir for the store when none was given; "" when it cannot be made.
std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ec2m-deploy-bench.XXXXXX");
  return mkdtemp(tmpl.data()) == nullptr ? "" : tmpl;
}

int Run(Flags flags) {
  std::string problem;
  double instances = 100;
  if (!ec2m::bench::TakeNumber(flags, "instances", instances, problem)) {
    return ec2m::bench::UsageError("deploy_bench", kUsage, problem);
  }
  ec2m::bench::EndpointConfig endpoint;
  endpoint.url = ec2m::bench::Take(flags, "endpoint", "");
  std::string store_dir = ec2m::bench::Take(flags, "store-dir", "");
  if (endpoint.url.empty() || !flags.empty() || instances > kMaxInstances) {
    return ec2m::bench::UsageError("deploy_bench", kUsage,
                                   "--endpoint is required; --instances is at most 1000");
  }
  const bool own_dir = store_dir.empty();
  store_dir = own_dir ? MakeTempDir() : store_dir;
  if (store_dir.empty()) {
    std::fprintf(stderr, "deploy_bench: cannot make a temp dir\n");
    return 1;
  }
  auto sqlite = ec2m::store::SqliteStore::Open(store_dir + "/ec2m.db");
  if (!sqlite) {
    std::fprintf(stderr, "deploy_bench: %s\n", sqlite.error().ToString().c_str());
    return 1;
  }
  const int n = static_cast<int>(instances);
  ec2m::SystemClock clock;
  ec2m::DefaultRandom random;
  ec2m::aws::AwsEc2 ec2(ec2m::bench::Ec2Options(endpoint), clock, random);
  BusyTime either;
  MeteredEc2 metered(ec2, &either);
  MeteredStore store(**sqlite, &either);
  std::vector<ec2m::stack::Target> targets;
  for (const char* name : {kBlueGreen, kInPlace}) {
    targets.push_back(
        {name, ConfigText(name, n, kBlueImage), fmt::format("config/{}.json", name), &metered});
  }
  Result<json> out = json();
  {
    ec2m::stack::Provisioner provisioner(store, clock, targets);
    ec2m::release::Releases releases(store, clock);
    ec2m::release::Deployer deployer(releases, provisioner, clock, nullptr);
    Bench bench{ec2, metered, store, either, provisioner, n};
    out = Measure(bench, releases, deployer);
  }
  sqlite->reset();
  if (own_dir) {
    std::error_code ec;
    std::filesystem::remove_all(store_dir, ec);
  }
  if (!out) {
    std::fprintf(stderr, "deploy_bench: %s\n", out.error().ToString().c_str());
    return 1;
  }
  std::printf("%s\n", out->dump().c_str());
  const json& bg = (*out)["blue_green"];
  const bool ok = bg["state"] == ec2m::release::kSucceeded && bg["converged"]["ok"].get<bool>() &&
                  (*out)["in_place"]["converged"]["ok"].get<bool>();
  if (!ok) {
    std::fprintf(stderr,
                 "deploy_bench: the deployment did not succeed or an environment is not "
                 "converged (above)\n");
  }
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "deploy_bench", kUsage, Run);
}
