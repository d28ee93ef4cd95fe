// plan_bench: the time of `ec2m diff`'s work for an environment of N resources (issue 5: a plan of
// 5,000 resources against the simulated region in at most 0.5 s). It writes an environment config
// of N resources (a VPC, six subnets, ten security groups, instance groups for the rest), makes
// those resources on the endpoint (`ec2m sim serve`) with the tags an apply gives them, checks
// that the plan is empty, then times ReadActual + MakePlan: the Describe calls over HTTP, the
// parsing and the comparison. bench/plan_bench.sh runs it and the AWS CLI peer.
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "cloud/aws/aws_ec2.hpp"
#include "config/environment.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "endpoint.hpp"
#include "environment_config.hpp"
#include "flags.hpp"
#include "stack/actual.hpp"
#include "stack/plan.hpp"
#include "stack/template.hpp"
#include "timing.hpp"

namespace {

using ec2m::bench::Flags;

constexpr const char* kUsage = R"(usage:
  plan_bench --endpoint URL [--resources N] [--runs R]
      Makes an environment of N resources (default 5000) on the EC2 endpoint, then times R plans
      (default 20) of it: ReadActual + MakePlan, as `ec2m diff` does.
Prints {"resources","instances","describe_calls","plan": {...timing...},
        "plan_with_changes": {...}, "setup_s"}.
Exit status: 0 done, 1 a call failed or the plan of the unchanged environment was not empty,
2 bad usage.
)";

ec2m::Result<ec2m::stack::Template> Synth(int resources, const std::string& instance_type) {
  auto env = ec2m::config::ParseEnvironmentConfig(
      ec2m::bench::EnvironmentConfigText(resources - ec2m::bench::kNetworkResources, instance_type,
                                         ""),
      "bench");
  EC2M_RETURN_IF_ERROR(env);
  return ec2m::stack::Synth(*env);
}

ec2m::Tags TagsOf(const ec2m::stack::Resource& r) {
  ec2m::Tags tags;
  for (const auto& [k, v] : r.tags) {
    tags.push_back({k, v});
  }
  return tags;
}

std::string Ref(const nlohmann::json& v, const std::map<std::string, std::string>& ids) {
  return ids.at(v["Ref"].get<std::string>());
}

// Makes every resource of `t` on `ec2` as an apply would leave it (tags included).
ec2m::Result<void> Make(ec2m::Ec2& ec2, const ec2m::stack::Template& t) {
  std::map<std::string, std::string> ids;
  for (const auto& r : t.resources) {
    const nlohmann::json& p = r.properties;
    if (r.type == "AWS::EC2::VPC") {
      auto vpc = ec2.CreateVpc({p["CidrBlock"], "", {{"vpc", TagsOf(r)}}, false});
      EC2M_RETURN_IF_ERROR(vpc);
      ids[r.logical_id] = vpc->vpc_id;
    } else if (r.type == "AWS::EC2::Subnet") {
      auto subnet = ec2.CreateSubnet({Ref(p["VpcId"], ids),
                                      p["CidrBlock"],
                                      p["AvailabilityZone"],
                                      "",
                                      {{"subnet", TagsOf(r)}},
                                      false});
      EC2M_RETURN_IF_ERROR(subnet);
      ids[r.logical_id] = subnet->subnet_id;
    } else if (r.type == "AWS::EC2::SecurityGroup") {
      auto sg = ec2.CreateSecurityGroup({p["GroupName"],
                                         p["GroupDescription"],
                                         Ref(p["VpcId"], ids),
                                         {{"security-group", TagsOf(r)}},
                                         false});
      EC2M_RETURN_IF_ERROR(sg);
      ids[r.logical_id] = sg->group_id;
      ec2m::SecurityGroupRulesRequest rules;
      rules.group_id = sg->group_id;
      for (const auto& rule : p["SecurityGroupIngress"]) {
        rules.permissions.push_back({rule["IpProtocol"],
                                     rule["FromPort"].get<int>(),
                                     rule["ToPort"].get<int>(),
                                     {{rule["CidrIp"], ""}},
                                     {}});
      }
      EC2M_RETURN_IF_ERROR(ec2.AuthorizeSecurityGroupIngress(rules));
    } else {
      ec2m::RunInstancesRequest run;
      run.image_id = p["ImageId"];
      run.instance_type = p["InstanceType"];
      run.subnet_id = Ref(p["SubnetId"], ids);
      for (const auto& sg : p["SecurityGroupIds"]) {
        run.security_group_ids.push_back(Ref(sg, ids));
      }
      run.client_token = "bench-" + r.logical_id;
      run.disable_api_termination = p["DisableApiTermination"];
      run.monitoring_enabled = p["Monitoring"];
      run.tag_specifications = {{"instance", TagsOf(r)}};
      EC2M_RETURN_IF_ERROR(ec2.RunInstances(run));
    }
  }
  return {};
}

int Run(Flags flags) {
  std::string problem;
  double resources = 5000;
  double runs = 20;
  if (!ec2m::bench::TakeNumber(flags, "resources", resources, problem) ||
      !ec2m::bench::TakeNumber(flags, "runs", runs, problem)) {
    return ec2m::bench::UsageError("plan_bench", kUsage, problem);
  }
  ec2m::bench::EndpointConfig endpoint;
  endpoint.url = ec2m::bench::Take(flags, "endpoint", "");
  if (endpoint.url.empty() || !flags.empty() || resources < 20) {
    return ec2m::bench::UsageError("plan_bench", kUsage,
                                   "--endpoint is required; --resources at least 20");
  }
  ec2m::SystemClock clock;
  ec2m::DefaultRandom random;
  ec2m::aws::AwsEc2 ec2(ec2m::bench::Ec2Options(endpoint), clock, random);
  auto t = Synth(static_cast<int>(resources), "t3.micro");
  auto changed = Synth(static_cast<int>(resources), "t3.small");
  if (!t || !changed) {
    std::fprintf(stderr, "plan_bench: %s\n", (!t ? t : changed).error().ToString().c_str());
    return 1;
  }
  const auto setup_start = ec2m::bench::SteadyClock::now();
  if (auto made = Make(ec2, *t); !made) {
    std::fprintf(stderr, "plan_bench: making the environment: %s\n",
                 made.error().ToString().c_str());
    return 1;
  }
  const double setup_s =
      std::chrono::duration<double>(ec2m::bench::SteadyClock::now() - setup_start).count();

  int calls = 0;
  size_t last_changes = 0;
  std::vector<double> read_ms;  // of every plan: reading the cloud ...
  std::vector<double> plan_ms;  // ... and comparing
  auto plan_of = [&](const ec2m::stack::Template& desired) {
    const auto start = ec2m::bench::SteadyClock::now();
    auto actual = ec2m::stack::ReadActual(ec2, "bench");
    if (!actual) {
      std::fprintf(stderr, "plan_bench: %s\n", actual.error().ToString().c_str());
      return false;
    }
    const auto read = ec2m::bench::SteadyClock::now();
    calls = actual->calls;
    last_changes = ec2m::stack::MakePlan(desired, *actual).changes.size();
    read_ms.push_back(std::chrono::duration<double, std::milli>(read - start).count());
    plan_ms.push_back(
        std::chrono::duration<double, std::milli>(ec2m::bench::SteadyClock::now() - read).count());
    return true;
  };
  auto median_of = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  };
  if (!plan_of(*t) || last_changes != 0) {
    std::fprintf(stderr, "plan_bench: the unchanged environment plans %zu changes\n", last_changes);
    return 1;
  }
  const auto n = static_cast<int64_t>(runs);
  read_ms.clear();
  plan_ms.clear();
  ec2m::bench::Timing unchanged = ec2m::bench::TimeLoop([&] { return plan_of(*t); }, n, 600, 1);
  const double unchanged_read = median_of(read_ms);
  const double unchanged_compare = median_of(plan_ms);
  read_ms.clear();
  plan_ms.clear();
  ec2m::bench::Timing with_changes =
      ec2m::bench::TimeLoop([&] { return plan_of(*changed); }, n, 600, 1);
  std::printf(
      "{\"resources\": %zu, \"instances\": %d, \"describe_calls\": %d, \"setup_s\": %.2f, "
      "\"plan\": {\"read_p50_ms\": %.1f, \"compare_p50_ms\": %.1f, %s}, "
      "\"plan_with_changes\": {\"changes\": %zu, \"read_p50_ms\": %.1f, "
      "\"compare_p50_ms\": %.1f, %s}}\n",
      t->resources.size(), static_cast<int>(resources) - ec2m::bench::kNetworkResources, calls,
      setup_s, unchanged_read, unchanged_compare, ec2m::bench::TimingJsonMembers(unchanged).c_str(),
      last_changes, median_of(read_ms), median_of(plan_ms),
      ec2m::bench::TimingJsonMembers(with_changes).c_str());
  return unchanged.errors + with_changes.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return ec2m::bench::FlagsMain(argc, argv, "plan_bench", kUsage, Run);
}
