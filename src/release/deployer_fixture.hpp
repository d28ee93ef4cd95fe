#pragma once

// The deployer's test fixture (deployer_test.cpp, deployer_infrastructure_test.cpp): a store, a
// simulated region on a manual clock, a provisioner and a deployer over environments of two web
// instances, and ways to drive a deployment through its states.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/paging.hpp"
#include "core/random.hpp"
#include "release/deployer.hpp"
#include "sim/region.hpp"
#include "stack/actual.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace ec2m::release::test_support {

using std::chrono::minutes;
using std::chrono::seconds;

inline constexpr const char* kBlueImage = "ami-0123456789abcdef0";
inline constexpr const char* kGreenImage = "ami-0fedcba9876543210";
inline constexpr const char* kBadImage = "ami-0aa11bb22cc33dd44";

// An environment of two web instances. `more`: extra top-level members.
inline std::string Config(const std::string& name, const std::string& deployment,
                          const std::string& more = "") {
  return R"({"environment": ")" + name + R"(", "region": "us-west-2",
    "securityGroups": [{"name": "web", "ingress": [{"port": 443, "cidr": "0.0.0.0/0"}]}],
    "instanceGroups": [{"name": "web", "image": ")" +
         kBlueImage + R"(", "instanceType": "t3.micro", "count": 2,
                        "securityGroups": ["web"], "userData": "v1"}],
    "removalPolicy": ")" +
         std::string(name == "prod" ? "RETAIN" : "DESTROY") + R"(",
    "deployment": )" +
         deployment + more + "}";
}

class DeployerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::SqliteStore::Open(":memory:");
    ASSERT_TRUE(store);
    store_ = std::move(*store);
    auto region = sim::SimRegion::Open(sim::SimConfig{}, *store_, clock_, random_);
    ASSERT_TRUE(region);
    region_ = std::move(*region);
  }

  // Starts the provisioner and deployer over `envs` (name → config) and applies each config so
  // every environment has its blue fleet (except those in `unprovisioned`).
  void Start(const std::map<std::string, std::string>& envs,
             const std::set<std::string>& unprovisioned = {}) {
    std::vector<stack::Target> targets;
    targets.reserve(envs.size());
    for (const auto& [name, text] : envs) {
      targets.push_back({name, text, "config/" + name + ".json", region_.get()});
    }
    stack::ProvisionerOptions options;
    options.apply.poll = std::chrono::milliseconds(1);
    provisioner_ = std::make_unique<stack::Provisioner>(*store_, clock_, targets, options);
    for (const auto& [name, text] : envs) {
      if (unprovisioned.count(name) != 0) {
        continue;
      }
      auto started = provisioner_->Provision(name, "setup", std::nullopt, false);
      ASSERT_TRUE(started) << started.error().ToString();
      provisioner_->Wait();
      ASSERT_EQ(provisioner_->change_sets().Get(started->change_set->id)->status, "succeeded");
    }
    DeployerOptions deployer_options;
    deployer_options.steps_per_pass = 1;  // Drive sees every state
    deployer_options.on_transition = [this](const Deployment& d, const Release& r,
                                            bool production) {
      if (auto n = DeploymentNotification(d, r, production)) {
        notifications_.push_back(*n);
      }
    };
    releases_ = std::make_unique<Releases>(*store_, clock_);
    deployer_ =
        std::make_unique<Deployer>(*releases_, *provisioner_, clock_, &metrics_, deployer_options);
  }

  Release MakeRelease(const std::string& image, const std::string& env = "dev") {
    Release r;
    r.group = "web";
    r.environment = env;
    r.image = image;
    r.commit = "0123abc";
    r.branch = "main";
    r.author = "alice@example.com";
    auto made = deployer_->CreateRelease(r);
    EXPECT_TRUE(made) << made.error().ToString();
    return *made;
  }

  Deployment Deploy(const std::string& env, const std::string& release,
                    const std::string& emergency = "") {
    auto d = deployer_->Deploy({env, "web", release, "alice@example.com", emergency,
                                emergency.empty() ? "" : "a reason", "", true});
    EXPECT_TRUE(d) << d.error().ToString();
    return *d;
  }

  static TimePoint At(const std::string& iso) { return ParseIso8601(iso).value_or(TimePoint{}); }

  // The first whole minute green is live for: triggers judge complete periods after the start.
  static TimePoint FirstMinute(const Deployment& d) {
    const int64_t ms = ToUnixMillis(*ParseIso8601(d.live_since));
    return FromUnixMillis((ms + 59'999) / 60'000 * 60'000);
  }

  Deployment Get(const std::string& id) { return *releases_->GetDeployment(id); }

  // Runs passes, `step` of the clock apart, until `id` is in one of `states` (or 400 passes).
  Deployment Drive(const std::string& id, const std::set<std::string>& states,
                   std::chrono::seconds step = seconds(10)) {
    for (int i = 0; i < 400; ++i) {
      Deployment d = Get(id);
      if (states.count(d.state)) {
        return d;
      }
      deployer_->RunOnce();
      clock_.Advance(step);
    }
    return Get(id);
  }

  // The group's live instances: those carrying its logical ids, by id.
  std::set<std::string> Live(const std::string& env) {
    auto actual = stack::ReadActual(*region_, env);
    EXPECT_TRUE(actual);
    std::set<std::string> out;
    for (const stack::Found& f : actual->resources) {
      if (f.type == "AWS::EC2::Instance") {
        out.insert(f.physical_id);
      }
    }
    return out;
  }

  // Instances tagged with the deployment that are not terminated.
  std::vector<std::string> NotTerminated(const std::string& deployment) {
    DescribeRequest req;
    req.filters = {{std::string("tag:") + kDeploymentTag, {deployment}}};
    auto all =
        DescribeAll(req, [&](const DescribeRequest& r) { return region_->DescribeInstances(r); });
    EXPECT_TRUE(all);
    std::vector<std::string> out;
    for (const Reservation& res : *all) {
      for (const Instance& i : res.instances) {
        if (i.state != InstanceState::kTerminated) {
          out.push_back(i.instance_id);
        }
      }
    }
    return out;
  }

  // Publishes the group's figures for every minute of [from, to): `latency` ms average,
  // `requests` a minute, `errors` a minute.
  void Traffic(TimePoint from, TimePoint to, double latency, double requests = 100,
               double errors = 0) {
    const std::map<std::string, std::string> group = {{"Group", "web"}};
    for (TimePoint t = from; t < to; t += minutes(1)) {
      metrics_.Put({"dev", "Latency", group}, t, latency);
      metrics_.Put({"dev", "Requests", group}, t, requests);
      metrics_.Put({"dev", "ServerErrors", group}, t, errors);
    }
  }

  // Saturday 2026-11-28 12:00 UTC.
  ManualClock clock_{FromUnixMillis(1'795'867'200'000)};
  DefaultRandom random_{7};
  std::unique_ptr<Store> store_;
  std::unique_ptr<sim::SimRegion> region_;
  monitor::MetricStore metrics_{nullptr};
  std::unique_ptr<Releases> releases_;
  std::unique_ptr<stack::Provisioner> provisioner_;
  std::unique_ptr<Deployer> deployer_;
  std::vector<Notification> notifications_;
};

inline const std::string kQuick =
    R"({"stabilizationSeconds": 30, "watchSeconds": 60, "healthTimeoutSeconds": 120)";

}  // namespace ec2m::release::test_support
