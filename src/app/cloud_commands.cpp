#include "app/cloud_commands.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "cloud/aws/aws_config.hpp"
#include "cloud/aws/aws_ec2.hpp"
#include "cloud/aws/credentials.hpp"
#include "core/clock.hpp"
#include "core/paging.hpp"
#include "core/random.hpp"

namespace ec2m::app {

namespace {

// The client and what it was built from.
struct Connection {
  aws::AwsSettings settings;
  std::unique_ptr<aws::AwsEc2> ec2;
};

Result<Connection> Connect(const CloudOptions& options, const Clock& clock, Random& random) {
  if (options.provider != "aws") {
    return Fail(ErrorCode::kInvalidArgument,
                "--provider: expected \"aws\" (EC2 over the Query API: real AWS, or any "
                "EC2-compatible endpoint with --endpoint), got \"" +
                    options.provider + "\"");
  }
  aws::SettingsRequest req;
  req.profile = options.profile;
  req.region = options.region;
  req.endpoint_url = options.endpoint;
  auto settings = aws::ResolveSettings(req, aws::ProcessEnvironment());
  if (!settings) {
    return Fail(std::move(settings).error());
  }
  if (settings->region.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no region: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, or set `region` "
                "in profile '" +
                    settings->profile + "'");
  }
  aws::AwsEc2Options ec2_options;
  ec2_options.region = settings->region;
  ec2_options.endpoint = settings->endpoint_url;
  ec2_options.credentials = settings->credentials;
  ec2_options.retry = aws::PolicyFor(settings->retry_mode, settings->max_attempts);
  Connection conn{std::move(*settings), nullptr};
  conn.ec2 = std::make_unique<aws::AwsEc2>(ec2_options, clock, random);
  return conn;
}

int RunCheck(const CloudOptions& options) {
  SystemClock clock;
  DefaultRandom random;
  auto conn = Connect(options, clock, random);
  if (!conn) {
    return cli::ReportError(conn.error());
  }
  auto zones = conn->ec2->DescribeAvailabilityZones({});
  if (!zones) {
    return cli::ReportError(zones.error());
  }
  // EC2 has no "who am I": the default security group's owner is the account.
  DescribeRequest groups;
  groups.filters = {{"group-name", {"default"}}};
  auto owner = conn->ec2->DescribeSecurityGroups(groups);
  const std::string account = owner && !owner->items.empty() ? owner->items[0].owner_id : "?";
  std::printf("provider     aws\n");
  std::printf("endpoint     %s\n", conn->ec2->endpoint().c_str());
  std::printf("region       %s\n", conn->settings.region.c_str());
  std::printf("account      %s\n", account.c_str());
  std::printf("credentials  %s (%s)\n",
              aws::RedactedAccessKey(conn->settings.credentials.access_key_id).c_str(),
              conn->settings.source.c_str());
  std::printf("retries      %s mode, up to %d attempts\n",
              std::string(aws::RetryModeName(conn->settings.retry_mode)).c_str(),
              conn->settings.max_attempts);
  std::string names;
  for (const auto& z : *zones) {
    names += (names.empty() ? "" : ", ") + z.zone_name + " (" + z.state + ")";
  }
  std::printf("zones        %s\n", names.c_str());
  std::printf("ok: credentials accepted and the region answers\n");
  return 0;
}

std::string NameTag(const Instance& i) {
  for (const auto& t : i.tags) {
    if (t.key == "Name") {
      return t.value;
    }
  }
  return "";
}

int RunInstances(const CloudOptions& options) {
  auto parsed = cli::ParseOutputFormat(options.output);
  if (!parsed) {
    return cli::ReportError(parsed.error());
  }
  const cli::OutputFormat format = *parsed;
  SystemClock clock;
  DefaultRandom random;
  auto conn = Connect(options, clock, random);
  if (!conn) {
    return cli::ReportError(conn.error());
  }
  DescribeRequest req;
  if (!options.state.empty()) {
    req.filters = {{"instance-state-name", {options.state}}};
  }
  req.max_results = 1000;
  std::vector<Instance> instances;
  auto walked = ForEachPage(
      req, [&](const DescribeRequest& r) { return conn->ec2->DescribeInstances(r); },
      [&](std::vector<Reservation>&& reservations) {
        for (auto& r : reservations) {
          std::move(r.instances.begin(), r.instances.end(), std::back_inserter(instances));
        }
      });
  if (!walked) {
    return cli::ReportError(walked.error());
  }
  if (format == cli::OutputFormat::kJson) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& i : instances) {
      out.push_back({{"instance_id", i.instance_id},
                     {"state", InstanceStateName(i.state)},
                     {"type", i.instance_type},
                     {"zone", i.availability_zone},
                     {"private_ip", i.private_ip_address},
                     {"name", NameTag(i)},
                     {"image_id", i.image_id},
                     {"launch_time", FormatIso8601(i.launch_time)}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(instances.size());
  for (const auto& i : instances) {
    rows.push_back({i.instance_id, std::string(InstanceStateName(i.state)), i.instance_type,
                    i.availability_zone, i.private_ip_address, NameTag(i),
                    FormatIso8601(i.launch_time)});
  }
  return cli::PrintRows(
      format, {"INSTANCE", "STATE", "TYPE", "ZONE", "PRIVATE IP", "NAME", "LAUNCHED"}, rows);
}

void AddConnectionOptions(CLI::App* cmd, CloudOptions& options) {
  cmd->add_option("--provider", options.provider, "Cloud provider: aws (default)");
  cmd->add_option("--region", options.region,
                  "Region (else AWS_REGION, AWS_DEFAULT_REGION, profile)");
  cmd->add_option("--endpoint", options.endpoint,
                  "EC2 endpoint URL (default https://ec2.REGION.amazonaws.com)");
  cmd->add_option("--profile", options.profile, "Profile in ~/.aws/credentials and ~/.aws/config");
}

}  // namespace

void AddCloudCommands(CLI::App& app, CloudOptions& options, int& exit_code) {
  CLI::App* cloud = app.add_subcommand("cloud", "A direct, read-only look at an EC2 region");
  cloud->require_subcommand(1);
  CLI::App* check = cloud->add_subcommand(
      "check", "Validate credentials; print account, region and availability zones");
  AddConnectionOptions(check, options);
  check->callback([&options, &exit_code] { exit_code = RunCheck(options); });
  CLI::App* instances = cloud->add_subcommand("instances", "List the region's instances");
  AddConnectionOptions(instances, options);
  instances->add_option("--output", options.output, "table (default), json or text");
  instances->add_option("--state", options.state, "Only instances in this state");
  instances->callback([&options, &exit_code] { exit_code = RunInstances(options); });
}

}  // namespace ec2m::app
