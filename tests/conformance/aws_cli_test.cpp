// Conformance: the AWS CLI, an independent client, drives `ec2m sim serve` unchanged.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/sim_server.hpp"

namespace ec2m::testing {
namespace {

using nlohmann::json;

constexpr const char* kImage = "ami-0abcdef1234567890";

class AwsCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new SimServer(dir_->path() + "/sim");
    ASSERT_TRUE(server_->Start()) << server_->error();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  // Runs the CLI and parses its JSON output; fails the test on a non-zero exit.
  static json Ok(const std::vector<std::string>& args) {
    CommandResult r = Aws(server_->endpoint(), args);
    EXPECT_EQ(r.exit_code, 0) << "aws " << ::testing::PrintToString(args) << "\n" << r.err;
    if (r.exit_code != 0 || r.out.empty()) {
      return json();
    }
    return json::parse(r.out, nullptr, false);
  }

  // Runs the CLI expecting failure with the EC2 error `code`.
  static void FailsWith(const std::vector<std::string>& args, const std::string& code,
                        const std::string& secret = "test") {
    CommandResult r = Aws(server_->endpoint(), args, secret);
    EXPECT_NE(r.exit_code, 0) << "aws " << ::testing::PrintToString(args) << " succeeded";
    EXPECT_NE(r.err.find("(" + code + ")"), std::string::npos)
        << "expected " << code << " from " << ::testing::PrintToString(args) << ", got: " << r.err;
  }

  static std::vector<std::string> Ids(const json& reservation_or_list) {
    std::vector<std::string> ids;
    const json& instances = reservation_or_list.contains("Instances")
                                ? reservation_or_list["Instances"]
                                : reservation_or_list;
    for (const auto& i : instances) {
      ids.push_back(i["InstanceId"].get<std::string>());
    }
    return ids;
  }

  static std::vector<std::string> Launch(int count, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "ec2",     "run-instances",       "--image-id",      kImage,
        "--count", std::to_string(count), "--instance-type", "t3.micro"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Ids(Ok(args));
  }

  static std::vector<std::string> Query(const std::vector<std::string>& filters) {
    std::vector<std::string> args = {"ec2", "describe-instances", "--query",
                                     "Reservations[].Instances[].InstanceId"};
    if (!filters.empty()) {
      args.emplace_back("--filters");
      args.insert(args.end(), filters.begin(), filters.end());
    }
    json out = Ok(args);
    std::vector<std::string> ids;
    for (const auto& id : out) {
      ids.push_back(id.get<std::string>());
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  static std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  static std::vector<std::string> Join(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  static TempDir* dir_;
  static SimServer* server_;
};

TempDir* AwsCliTest::dir_ = nullptr;
SimServer* AwsCliTest::server_ = nullptr;

TEST_F(AwsCliTest, InstanceLifecycleWithWaiters) {
  json run = Ok({"ec2", "run-instances", "--image-id", kImage, "--count", "3", "--instance-type",
                 "t3.micro", "--tag-specifications",
                 "ResourceType=instance,Tags=[{Key=Name,Value=lifecycle}]"});
  ASSERT_EQ(run["Instances"].size(), 3u);
  EXPECT_EQ(run["Instances"][0]["State"]["Name"], "pending");
  EXPECT_EQ(run["Instances"][0]["State"]["Code"], 0);
  const auto ids = Ids(run);
  Ok(Join({"ec2", "wait", "instance-running", "--instance-ids"}, ids));
  json described = Ok(Join({"ec2", "describe-instances", "--instance-ids"}, ids));
  for (const auto& res : described["Reservations"]) {
    for (const auto& i : res["Instances"]) {
      EXPECT_EQ(i["State"]["Name"], "running");
      EXPECT_EQ(i["State"]["Code"], 16);
      EXPECT_EQ(i["InstanceType"], "t3.micro");
      EXPECT_EQ(i["ImageId"], kImage);
      EXPECT_EQ(i["Placement"]["AvailabilityZone"], "us-west-2a");
      EXPECT_TRUE(i["PrivateIpAddress"].get<std::string>().starts_with("172.31."));
      EXPECT_EQ(i["Tags"][0]["Key"], "Name");
    }
  }
  json stopped = Ok(Join({"ec2", "stop-instances", "--instance-ids"}, ids));
  EXPECT_EQ(stopped["StoppingInstances"][0]["CurrentState"]["Name"], "stopping");
  EXPECT_EQ(stopped["StoppingInstances"][0]["PreviousState"]["Name"], "running");
  Ok(Join({"ec2", "wait", "instance-stopped", "--instance-ids"}, ids));
  json started = Ok(Join({"ec2", "start-instances", "--instance-ids"}, ids));
  EXPECT_EQ(started["StartingInstances"][0]["CurrentState"]["Code"], 0);
  Ok(Join({"ec2", "wait", "instance-running", "--instance-ids"}, ids));
  Ok(Join({"ec2", "reboot-instances", "--instance-ids"}, ids));
  json terminated = Ok(Join({"ec2", "terminate-instances", "--instance-ids"}, ids));
  EXPECT_EQ(terminated["TerminatingInstances"][0]["CurrentState"]["Name"], "shutting-down");
  Ok(Join({"ec2", "wait", "instance-terminated", "--instance-ids"}, ids));
  json status = Ok(
      Join({"ec2", "describe-instance-status", "--include-all-instances", "--instance-ids"}, ids));
  EXPECT_EQ(status["InstanceStatuses"][0]["InstanceState"]["Name"], "terminated");
}

TEST_F(AwsCliTest, EveryDescribeInstancesFilter) {
  const auto web =
      Launch(2, {"--key-name", "ops", "--tag-specifications",
                 "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=Team,Value=blue}]"});
  const auto db = Launch(1, {"--placement", "AvailabilityZone=us-west-2b", "--tag-specifications",
                             "ResourceType=instance,Tags=[{Key=Name,Value=db-1}]"});
  Ok(Join({"ec2", "stop-instances", "--instance-ids"}, db));
  json one = Ok({"ec2", "describe-instances", "--instance-ids", web[0]});
  const json& w = one["Reservations"][0]["Instances"][0];
  const std::string vpc = w["VpcId"], subnet = w["SubnetId"], ip = w["PrivateIpAddress"];
  const auto all = Sorted(Join(web, db));

  EXPECT_EQ(Query({"Name=tag:Name,Values=web"}), Sorted(web));
  EXPECT_EQ(Query({"Name=tag:Name,Values=we?"}), Sorted(web));
  EXPECT_EQ(Query({"Name=tag:Name,Values=db-*"}), db);
  EXPECT_EQ(Query({"Name=tag-key,Values=Team"}), Sorted(web));
  EXPECT_EQ(Query({"Name=tag-value,Values=blue"}), Sorted(web));
  EXPECT_EQ(Query({"Name=instance-id,Values=" + web[0]}), std::vector<std::string>{web[0]});
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=instance-state-name,Values=stopped"}),
            db);
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=instance-state-code,Values=16"}),
            Sorted(web));
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=instance-type,Values=t3.micro"}), all);
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=image-id,Values=" + std::string(kImage)}),
            all);
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=vpc-id,Values=" + vpc}), all);
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=subnet-id,Values=" + subnet}),
            Sorted(web));
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=availability-zone,Values=us-west-2b"}),
            db);
  EXPECT_EQ(Query({"Name=private-ip-address,Values=" + ip}), std::vector<std::string>{web[0]});
  EXPECT_EQ(Query({"Name=tag:Name,Values=web,db-1", "Name=key-name,Values=ops"}), Sorted(web));
  FailsWith({"ec2", "describe-instances", "--filters", "Name=bogus,Values=x"},
            "InvalidParameterValue");
}

TEST_F(AwsCliTest, QueryExpressionsAndTables) {
  Launch(1, {"--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=query}]"});
  CommandResult text =
      Aws(server_->endpoint(),
          {"ec2", "describe-instances", "--filters", "Name=tag:Name,Values=query", "--query",
           "Reservations[].Instances[].[InstanceId,State.Name]", "--output", "text"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("running"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("i-"), std::string::npos);
}

TEST_F(AwsCliTest, PaginatesOver2500Instances) {
  std::vector<std::string> launched;
  for (int i = 0; i < 3; ++i) {
    auto ids = Launch(i < 2 ? 1000 : 500,
                      {"--placement", "AvailabilityZone=us-west-2c", "--tag-specifications",
                       "ResourceType=instance,Tags=[{Key=Batch,Value=page}]"});
    launched.insert(launched.end(), ids.begin(), ids.end());
  }
  ASSERT_EQ(launched.size(), 2500u);
  // --page-size makes the CLI send MaxResults and follow every NextToken.
  json out = Ok({"ec2", "describe-instances", "--filters", "Name=tag:Batch,Values=page",
                 "--page-size", "300", "--query", "Reservations[].Instances[].InstanceId"});
  std::set<std::string> seen;
  for (const auto& id : out) {
    seen.insert(id.get<std::string>());
  }
  EXPECT_EQ(seen.size(), 2500u);
  EXPECT_EQ(seen, std::set<std::string>(launched.begin(), launched.end()));
  // Without it, one answer of all 2,500: three windows of the endpoint, sent chunked.
  const std::vector<std::string> whole = Query({"Name=tag:Batch,Values=page"});
  EXPECT_EQ(std::set<std::string>(whole.begin(), whole.end()), seen);
  EXPECT_EQ(whole.size(), 2500u);
  Ok(Join({"ec2", "terminate-instances", "--instance-ids"}, launched));
}

TEST_F(AwsCliTest, ErrorCases) {
  FailsWith({"ec2", "describe-instances"}, "AuthFailure", "wrong-secret");
  FailsWith({"ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0"},
            "InvalidInstanceID.NotFound");
  FailsWith({"ec2", "describe-instances", "--instance-ids", "i-xyz"},
            "InvalidInstanceID.Malformed");
  const auto ids = Launch(1, {"--disable-api-termination"});
  FailsWith({"ec2", "terminate-instances", "--instance-ids", ids[0]}, "OperationNotPermitted");
  FailsWith({"ec2", "describe-instances", "--instance-ids", ids[0], "--max-results", "5"},
            "InvalidParameterCombination");
  FailsWith(
      {"ec2", "run-instances", "--image-id", kImage, "--instance-type", "t3.micro", "--dry-run"},
      "DryRunOperation");
  Ok({"ec2", "modify-instance-attribute", "--instance-id", ids[0], "--no-disable-api-termination"});
  json attr = Ok({"ec2", "describe-instance-attribute", "--instance-id", ids[0], "--attribute",
                  "disableApiTermination"});
  EXPECT_EQ(attr["DisableApiTermination"]["Value"], false);
  Ok({"ec2", "terminate-instances", "--instance-ids", ids[0]});

  json vpc = Ok({"ec2", "create-vpc", "--cidr-block", "10.20.0.0/16"});
  const std::string vpc_id = vpc["Vpc"]["VpcId"];
  json subnet = Ok({"ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.20.1.0/24"});
  FailsWith({"ec2", "delete-vpc", "--vpc-id", vpc_id}, "DependencyViolation");
  Ok({"ec2", "delete-subnet", "--subnet-id", subnet["Subnet"]["SubnetId"].get<std::string>()});
  Ok({"ec2", "delete-vpc", "--vpc-id", vpc_id});
}

TEST_F(AwsCliTest, NetworkingAndTags) {
  json vpc = Ok({"ec2", "create-vpc", "--cidr-block", "10.30.0.0/16", "--tag-specifications",
                 "ResourceType=vpc,Tags=[{Key=Name,Value=app}]"});
  const std::string vpc_id = vpc["Vpc"]["VpcId"];
  Ok({"ec2", "wait", "vpc-available", "--vpc-ids", vpc_id});
  json subnet = Ok({"ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.30.1.0/24",
                    "--availability-zone", "us-west-2d"});
  const std::string subnet_id = subnet["Subnet"]["SubnetId"];
  EXPECT_EQ(subnet["Subnet"]["AvailableIpAddressCount"], 251);
  FailsWith({"ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.31.0.0/24"},
            "InvalidSubnet.Range");
  json group = Ok({"ec2", "create-security-group", "--group-name", "web", "--description", "web",
                   "--vpc-id", vpc_id});
  const std::string group_id = group["GroupId"];
  Ok({"ec2", "authorize-security-group-ingress", "--group-id", group_id, "--protocol", "tcp",
      "--port", "443", "--cidr", "0.0.0.0/0"});
  FailsWith({"ec2", "authorize-security-group-ingress", "--group-id", group_id, "--protocol", "tcp",
             "--port", "443", "--cidr", "0.0.0.0/0"},
            "InvalidPermission.Duplicate");
  json groups = Ok({"ec2", "describe-security-groups", "--group-ids", group_id});
  EXPECT_EQ(groups["SecurityGroups"][0]["IpPermissions"][0]["FromPort"], 443);
  EXPECT_EQ(groups["SecurityGroups"][0]["IpPermissions"][0]["IpRanges"][0]["CidrIp"], "0.0.0.0/0");

  const auto ids = Launch(1, {"--subnet-id", subnet_id, "--security-group-ids", group_id});
  json inst = Ok({"ec2", "describe-instances", "--instance-ids", ids[0]});
  EXPECT_EQ(inst["Reservations"][0]["Instances"][0]["SecurityGroups"][0]["GroupName"], "web");
  FailsWith({"ec2", "delete-security-group", "--group-id", group_id}, "DependencyViolation");

  Ok({"ec2", "create-tags", "--resources", ids[0], vpc_id, "--tags", "Key=Env,Value=dev",
      "Key=Owner,Value=ops"});
  json tags = Ok({"ec2", "describe-tags", "--filters", "Name=key,Values=Env"});
  std::set<std::string> tagged;
  for (const auto& t : tags["Tags"]) {
    tagged.insert(t["ResourceId"].get<std::string>());
  }
  EXPECT_TRUE(tagged.count(ids[0]) == 1 && tagged.count(vpc_id) == 1);
  Ok({"ec2", "delete-tags", "--resources", ids[0], "--tags", "Key=Env"});
  EXPECT_EQ(Query({"Name=tag:Env,Values=dev"}), std::vector<std::string>{});
  EXPECT_EQ(Query({"Name=tag:Owner,Values=ops"}), ids);

  Ok({"ec2", "terminate-instances", "--instance-ids", ids[0]});
  Ok({"ec2", "revoke-security-group-ingress", "--group-id", group_id, "--protocol", "tcp", "--port",
      "443", "--cidr", "0.0.0.0/0"});
  Ok({"ec2", "delete-security-group", "--group-id", group_id});
  Ok({"ec2", "delete-subnet", "--subnet-id", subnet_id});
  Ok({"ec2", "delete-vpc", "--vpc-id", vpc_id});
}

TEST_F(AwsCliTest, BlockDeviceMappings) {
  const json mappings_arg =
      json::array({{{"DeviceName", "/dev/xvda"},
                    {"Ebs", {{"VolumeSize", 20}, {"VolumeType", "gp3"}, {"Encrypted", true}}}},
                   {{"DeviceName", "/dev/sdf"},
                    {"Ebs", {{"VolumeSize", 100}, {"DeleteOnTermination", false}}}}});
  json run = Ok({"ec2", "run-instances", "--image-id", kImage, "--instance-type", "t3.micro",
                 "--block-device-mappings", mappings_arg.dump()});
  const auto ids = Ids(run);
  ASSERT_EQ(ids.size(), 1u);
  json described = Ok({"ec2", "describe-instances", "--instance-ids", ids[0]});
  const json& mappings = described["Reservations"][0]["Instances"][0]["BlockDeviceMappings"];
  ASSERT_EQ(mappings.size(), 2u);
  EXPECT_EQ(mappings[0]["DeviceName"], "/dev/xvda");
  const std::string root_volume = mappings[0]["Ebs"]["VolumeId"];
  EXPECT_TRUE(root_volume.starts_with("vol-") && root_volume.size() == 21) << root_volume;
  EXPECT_EQ(mappings[0]["Ebs"]["Status"], "attached");
  EXPECT_EQ(mappings[0]["Ebs"]["DeleteOnTermination"], true);
  EXPECT_FALSE(mappings[0]["Ebs"]["AttachTime"].get<std::string>().empty());
  EXPECT_EQ(mappings[1]["DeviceName"], "/dev/sdf");
  EXPECT_EQ(mappings[1]["Ebs"]["DeleteOnTermination"], false);
  EXPECT_NE(mappings[1]["Ebs"]["VolumeId"], root_volume);

  FailsWith({"ec2", "run-instances", "--image-id", kImage, "--block-device-mappings",
             R"([{"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":4}}])"},
            "InvalidBlockDeviceMapping");
  FailsWith({"ec2", "run-instances", "--image-id", kImage, "--block-device-mappings",
             R"([{"DeviceName":"/dev/sdf","Ebs":{"VolumeSize":10,"VolumeType":"gp9"}}])"},
            "InvalidParameterValue");
  Ok({"ec2", "terminate-instances", "--instance-ids", ids[0]});
}

TEST_F(AwsCliTest, SubnetAndVpcAttributes) {
  json vpc = Ok({"ec2", "create-vpc", "--cidr-block", "10.40.0.0/16"});
  const std::string vpc_id = vpc["Vpc"]["VpcId"];
  json subnet = Ok({"ec2", "create-subnet", "--vpc-id", vpc_id, "--cidr-block", "10.40.1.0/24"});
  const std::string subnet_id = subnet["Subnet"]["SubnetId"];
  EXPECT_EQ(subnet["Subnet"]["MapPublicIpOnLaunch"], false);

  Ok({"ec2", "modify-subnet-attribute", "--subnet-id", subnet_id, "--map-public-ip-on-launch"});
  json subnets = Ok({"ec2", "describe-subnets", "--subnet-ids", subnet_id});
  EXPECT_EQ(subnets["Subnets"][0]["MapPublicIpOnLaunch"], true);
  json filtered = Ok({"ec2", "describe-subnets", "--filters", "Name=vpc-id,Values=" + vpc_id,
                      "Name=map-public-ip-on-launch,Values=true"});
  EXPECT_EQ(filtered["Subnets"].size(), 1u);

  const auto ids = Launch(1, {"--subnet-id", subnet_id});
  json before = Ok({"ec2", "describe-instances", "--instance-ids", ids[0]});
  EXPECT_FALSE(before["Reservations"][0]["Instances"][0]["PublicIpAddress"].is_null());
  EXPECT_EQ(before["Reservations"][0]["Instances"][0]["PublicDnsName"], "");
  Ok({"ec2", "modify-vpc-attribute", "--vpc-id", vpc_id, "--enable-dns-hostnames",
      R"({"Value":true})"});
  json after = Ok({"ec2", "describe-instances", "--instance-ids", ids[0]});
  EXPECT_TRUE(
      after["Reservations"][0]["Instances"][0]["PublicDnsName"].get<std::string>().ends_with(
          ".compute.amazonaws.com"));

  FailsWith({"ec2", "modify-vpc-attribute", "--vpc-id", vpc_id, "--enable-dns-support",
             R"({"Value":true})", "--enable-dns-hostnames", R"({"Value":true})"},
            "InvalidParameterCombination");
  FailsWith({"ec2", "modify-vpc-attribute", "--vpc-id", vpc_id}, "InvalidParameterCombination");
  FailsWith({"ec2", "modify-vpc-attribute", "--vpc-id", "vpc-00000000000000000",
             "--enable-dns-support", R"({"Value":false})"},
            "InvalidVpcID.NotFound");
  FailsWith({"ec2", "modify-subnet-attribute", "--subnet-id", "subnet-00000000000000000",
             "--no-map-public-ip-on-launch"},
            "InvalidSubnetID.NotFound");
  Ok({"ec2", "terminate-instances", "--instance-ids", ids[0]});
  Ok({"ec2", "wait", "instance-terminated", "--instance-ids", ids[0]});
  Ok({"ec2", "delete-subnet", "--subnet-id", subnet_id});
  Ok({"ec2", "delete-vpc", "--vpc-id", vpc_id});
}

TEST_F(AwsCliTest, MonitorAndUnmonitorInstances) {
  const auto ids = Launch(2);
  json on = Ok(Join({"ec2", "monitor-instances", "--instance-ids"}, ids));
  ASSERT_EQ(on["InstanceMonitorings"].size(), 2u);
  EXPECT_EQ(on["InstanceMonitorings"][0]["InstanceId"], ids[0]);
  EXPECT_EQ(on["InstanceMonitorings"][0]["Monitoring"]["State"], "pending");
  json described = Ok(Join({"ec2", "describe-instances", "--instance-ids"}, ids));
  for (const auto& i : described["Reservations"][0]["Instances"]) {
    EXPECT_EQ(i["Monitoring"]["State"], "enabled");
  }
  EXPECT_EQ(Query({"Name=instance-id,Values=" + ids[0], "Name=monitoring-state,Values=enabled"}),
            std::vector<std::string>{ids[0]});
  json off = Ok({"ec2", "unmonitor-instances", "--instance-ids", ids[1]});
  EXPECT_EQ(off["InstanceMonitorings"][0]["Monitoring"]["State"], "disabling");
  json one = Ok({"ec2", "describe-instances", "--instance-ids", ids[1]});
  EXPECT_EQ(one["Reservations"][0]["Instances"][0]["Monitoring"]["State"], "disabled");
  FailsWith({"ec2", "monitor-instances", "--instance-ids", "i-0123456789abcdef0"},
            "InvalidInstanceID.NotFound");
  FailsWith({"ec2", "monitor-instances", "--instance-ids", ids[1], "--dry-run"}, "DryRunOperation");
  Ok(Join({"ec2", "terminate-instances", "--instance-ids"}, ids));
}

TEST_F(AwsCliTest, Catalogs) {
  json zones = Ok({"ec2", "describe-availability-zones"});
  ASSERT_EQ(zones["AvailabilityZones"].size(), 4u);
  EXPECT_EQ(zones["AvailabilityZones"][0]["ZoneName"], "us-west-2a");
  json regions = Ok({"ec2", "describe-regions", "--region-names", "us-west-2"});
  EXPECT_EQ(regions["Regions"][0]["Endpoint"], "ec2.us-west-2.amazonaws.com");
  json images = Ok({"ec2", "describe-images", "--image-ids", kImage});
  EXPECT_EQ(images["Images"][0]["ImageId"], kImage);
  json types = Ok({"ec2", "describe-instance-types", "--instance-types", "t3.micro", "m5.large"});
  ASSERT_EQ(types["InstanceTypes"].size(), 2u);
  json vpcs = Ok({"ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true"});
  EXPECT_EQ(vpcs["Vpcs"][0]["CidrBlock"], "172.31.0.0/16");
  json subnets = Ok({"ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"});
  EXPECT_EQ(subnets["Subnets"].size(), 4u);
}

}  // namespace
}  // namespace ec2m::testing
