#include "cloud/query/requests.hpp"

#include <gtest/gtest.h>

namespace ec2m::query {
namespace {

constexpr char kI1[] = "i-1234567890abcdef0";
constexpr char kI2[] = "i-0598c7d356eba48d7";

Params Form(std::string_view body) {
  auto p = ParseForm(body);
  EXPECT_TRUE(p.has_value());
  return p ? *p : Params{};
}

template <typename T>
void ExpectError(const Result<T>& r, std::string_view aws_code, std::string_view message = {}) {
  ASSERT_FALSE(r.has_value()) << "expected " << aws_code;
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().aws_code, aws_code) << r.error().message;
  if (!message.empty()) {
    EXPECT_EQ(r.error().message, message);
  }
}

// Bodies from testdata/sigv4/ec2-vectors.txt (botocore 2.0.0dev155 wire bytes).
TEST(RequestsTest, DescribeInstancesWithFilters) {
  auto r = ParseDescribeInstances(
      Form("Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-state-name&Filter.1."
           "Value.1=running&Filter.1.Value.2=stopped&Filter.2.Name=tag%3AName&Filter.2.Value.1=web+"
           "server&MaxResults=5"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->filters.size(), 2u);
  EXPECT_EQ(r->filters[0].name, "instance-state-name");
  EXPECT_EQ(r->filters[0].values, (std::vector<std::string>{"running", "stopped"}));
  EXPECT_EQ(r->filters[1].name, "tag:Name");
  EXPECT_EQ(r->filters[1].values, (std::vector<std::string>{"web server"}));
  EXPECT_EQ(r->max_results, std::optional<int>(5));
  EXPECT_TRUE(r->ids.empty());
  EXPECT_FALSE(r->dry_run);
}

TEST(RequestsTest, DescribeInstancesByIdsWithTokenAndDryRun) {
  auto r = ParseDescribeInstances(
      Form("Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1234567890abcdef0&"
           "InstanceId.2=i-0598c7d356eba48d7&NextToken=abc&DryRun=true"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->ids, (std::vector<std::string>{kI1, kI2}));
  EXPECT_EQ(r->next_token, "abc");
  EXPECT_TRUE(r->dry_run);
  EXPECT_EQ(r->max_results, std::nullopt);
}

TEST(RequestsTest, RunInstancesVector) {
  auto r = ParseRunInstances(Form(
      "Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890&MinCount=1&MaxCount="
      "1&InstanceType=t2.micro&ClientToken=550e8400-e29b-41d4-a716-446655440000&"
      "TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&"
      "TagSpecification.1.Tag.1.Value=web"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->image_id, "ami-0abcdef1234567890");
  EXPECT_EQ(r->min_count, 1);
  EXPECT_EQ(r->max_count, 1);
  EXPECT_EQ(r->instance_type, "t2.micro");
  EXPECT_EQ(r->client_token, "550e8400-e29b-41d4-a716-446655440000");
  ASSERT_EQ(r->tag_specifications.size(), 1u);
  EXPECT_EQ(r->tag_specifications[0].resource_type, "instance");
  EXPECT_EQ(r->tag_specifications[0].tags, (Tags{{"Name", "web"}}));
}

// The reference's full example, with well-formed ids.
TEST(RequestsTest, RunInstancesAllModeledMembers) {
  auto r = ParseRunInstances(
      Form("Action=RunInstances&Version=2016-11-15&ImageId=ami-12345678&MinCount=1&MaxCount=2&"
           "InstanceType=t2.micro&ClientToken=tok-1&DisableApiTermination=true&DisableApiStop=true&"
           "SecurityGroupId.1=sg-11111111&SecurityGroupId.2=sg-22222222&SecurityGroup.1=web&"
           "Placement.AvailabilityZone=us-east-1a&Monitoring.Enabled=false&EbsOptimized=true&"
           "TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&"
           "TagSpecification.1.Tag.1.Value=web&TagSpecification.1.Tag.2.Key=env&"
           "TagSpecification.2.ResourceType=volume&UserData=aGVsbG8%3D&KeyName=k&"
           "SubnetId=subnet-0123456789abcdef0&PrivateIpAddress=10.0.0.5&DryRun=false"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->max_count, 2);
  EXPECT_TRUE(r->disable_api_termination);
  EXPECT_TRUE(r->disable_api_stop);
  EXPECT_FALSE(r->monitoring_enabled);
  EXPECT_TRUE(r->ebs_optimized);
  EXPECT_EQ(r->security_group_ids, (std::vector<std::string>{"sg-11111111", "sg-22222222"}));
  EXPECT_EQ(r->security_group_names, (std::vector<std::string>{"web"}));
  EXPECT_EQ(r->availability_zone, "us-east-1a");
  EXPECT_EQ(r->user_data, "aGVsbG8=");
  EXPECT_EQ(r->key_name, "k");
  EXPECT_EQ(r->subnet_id, "subnet-0123456789abcdef0");
  EXPECT_EQ(r->private_ip_address, "10.0.0.5");
  ASSERT_EQ(r->tag_specifications.size(), 2u);
  EXPECT_EQ(r->tag_specifications[0].tags, (Tags{{"Name", "web"}, {"env", ""}}));
  EXPECT_EQ(r->tag_specifications[1].resource_type, "volume");
}

TEST(RequestsTest, RunInstancesErrors) {
  const std::string base = "ImageId=ami-12345678&";
  ExpectError(ParseRunInstances(Form("MinCount=1&MaxCount=1")), "MissingParameter",
              "The request must contain the parameter ImageId");
  ExpectError(ParseRunInstances(Form(base + "MaxCount=1")), "MissingParameter",
              "The request must contain the parameter MinCount");
  ExpectError(ParseRunInstances(Form(base + "MinCount=1")), "MissingParameter");
  ExpectError(ParseRunInstances(Form(base + "MinCount=0&MaxCount=1")), "InvalidParameterValue");
  ExpectError(ParseRunInstances(Form(base + "MinCount=one&MaxCount=1")), "InvalidParameterValue",
              "Invalid value 'one' for parameter MinCount: expected an integer");
  ExpectError(ParseRunInstances(Form("ImageId=ami-1&MinCount=1&MaxCount=1")),
              "InvalidAMIID.Malformed", "Invalid id: \"ami-1\" (expecting \"ami-...\")");
  ExpectError(ParseRunInstances(Form(base + "MinCount=1&MaxCount=1&SecurityGroupId.1=sg-1")),
              "InvalidGroupId.Malformed");
  ExpectError(ParseRunInstances(Form(base + "MinCount=1&MaxCount=1&SubnetId=subnet-zz")),
              "InvalidSubnetID.Malformed");
  ExpectError(ParseRunInstances(Form(base + "MinCount=1&MaxCount=1&UserData=a%2Fb")),
              "InvalidParameterValue");
  ExpectError(ParseRunInstances(Form(base + "MinCount=1&MaxCount=1&Monitoring.Enabled=yes")),
              "InvalidParameterValue",
              "Invalid value 'yes' for parameter Monitoring.Enabled: expected 'true' or 'false'");
  ExpectError(
      ParseRunInstances(Form(base + "MinCount=1&MaxCount=1&ClientToken=" + std::string(65, 'x'))),
      "InvalidParameterValue");
}

// The body botocore 1.43 sends for `aws ec2 run-instances --block-device-mappings` with two
// mappings (the second without a type, kept past termination).
TEST(RequestsTest, RunInstancesBlockDeviceMappings) {
  auto r = ParseRunInstances(
      Form("Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890&MinCount=1&"
           "MaxCount=1&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda&BlockDeviceMapping.1.Ebs."
           "VolumeSize=20&BlockDeviceMapping.1.Ebs.VolumeType=gp3&BlockDeviceMapping.1.Ebs."
           "Encrypted=true&BlockDeviceMapping.2.DeviceName=%2Fdev%2Fsdf&BlockDeviceMapping.2.Ebs."
           "VolumeSize=100&BlockDeviceMapping.2.Ebs.DeleteOnTermination=false&"
           "BlockDeviceMapping.2.Ebs.Iops=3000"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  ASSERT_EQ(r->block_device_mappings.size(), 2u);
  const BlockDeviceMapping& root = r->block_device_mappings[0];
  EXPECT_EQ(root.device_name, "/dev/xvda");
  EXPECT_EQ(root.ebs.volume_size_gb, 20);
  EXPECT_EQ(root.ebs.volume_type, "gp3");
  EXPECT_TRUE(root.ebs.encrypted);
  EXPECT_TRUE(root.ebs.delete_on_termination);  // absent: true
  EXPECT_TRUE(root.ebs.volume_id.empty());
  const BlockDeviceMapping& data = r->block_device_mappings[1];
  EXPECT_EQ(data.device_name, "/dev/sdf");
  EXPECT_EQ(data.ebs.volume_size_gb, 100);
  EXPECT_EQ(data.ebs.volume_type, "");  // absent: the region's default
  EXPECT_FALSE(data.ebs.encrypted);
  EXPECT_FALSE(data.ebs.delete_on_termination);

  auto bare = ParseRunInstances(
      Form("ImageId=ami-12345678&MinCount=1&MaxCount=1&BlockDeviceMapping.1.DeviceName=xvda"));
  ASSERT_TRUE(bare.has_value()) << bare.error().ToString();
  EXPECT_EQ(bare->block_device_mappings[0].ebs.volume_size_gb, 0);  // absent: the image's
  EXPECT_TRUE(ParseRunInstances(Form("ImageId=ami-12345678&MinCount=1&MaxCount=1"))
                  ->block_device_mappings.empty());
}

TEST(RequestsTest, RunInstancesBlockDeviceMappingErrors) {
  const std::string base = "ImageId=ami-12345678&MinCount=1&MaxCount=1&BlockDeviceMapping.1.";
  ExpectError(ParseRunInstances(Form(base + "Ebs.VolumeSize=8")), "MissingParameter",
              "The request must contain the parameter BlockDeviceMapping.1.DeviceName");
  ExpectError(
      ParseRunInstances(Form(base + "DeviceName=sdf&BlockDeviceMapping.1.Ebs.VolumeSize=x")),
      "InvalidParameterValue",
      "Invalid value 'x' for parameter BlockDeviceMapping.1.Ebs.VolumeSize: expected an "
      "integer");
  ExpectError(
      ParseRunInstances(Form(base + "DeviceName=sdf&BlockDeviceMapping.1.Ebs.VolumeSize=0")),
      "InvalidParameterValue");
  ExpectError(ParseRunInstances(Form(base + "DeviceName=sdf&BlockDeviceMapping.1.Ebs.Encrypted=1")),
              "InvalidParameterValue");
  ExpectError(ParseRunInstances(
                  Form(base + "DeviceName=sdf&BlockDeviceMapping.1.Ebs.DeleteOnTermination=no")),
              "InvalidParameterValue");
  // What would change the volume made is refused, not ignored.
  for (const char* unmodeled : {"NoDevice=", "VirtualName=ephemeral0", "Ebs.SnapshotId=snap-1"}) {
    SCOPED_TRACE(unmodeled);
    ExpectError(ParseRunInstances(Form(base + "DeviceName=sdf&BlockDeviceMapping.1." + unmodeled)),
                "UnsupportedOperation");
  }
}

TEST(RequestsTest, MonitorAndUnmonitorInstances) {
  auto m = ParseMonitorInstances(
      Form("Action=MonitorInstances&Version=2016-11-15&InstanceId.1=i-1234567890abcdef0&"
           "InstanceId.2=i-0598c7d356eba48d7"));
  ASSERT_TRUE(m.has_value()) << m.error().ToString();
  EXPECT_EQ(m->instance_ids, (std::vector<std::string>{kI1, kI2}));
  EXPECT_FALSE(m->dry_run);
  auto u = ParseUnmonitorInstances(Form("InstanceId.1=i-1234567890abcdef0&DryRun=true"));
  ASSERT_TRUE(u.has_value());
  EXPECT_TRUE(u->dry_run);
  ExpectError(ParseMonitorInstances(Form("Action=MonitorInstances")), "MissingParameter",
              "The request must contain the parameter InstanceId");
  ExpectError(ParseUnmonitorInstances(Form("InstanceId.1=i-xyz")), "InvalidInstanceID.Malformed");
}

TEST(RequestsTest, InstanceIdsRequests) {
  auto t = ParseTerminateInstances(
      Form("Action=TerminateInstances&Version=2016-11-15&InstanceId.1=i-1234567890abcdef0"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->instance_ids, (std::vector<std::string>{kI1}));
  auto s = ParseStopInstances(Form("InstanceId.1=i-12345678&Force=true&Hibernate=false"));
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->force);
  EXPECT_EQ(s->instance_ids, (std::vector<std::string>{"i-12345678"}));
  ExpectError(ParseStartInstances(Form("Action=StartInstances")), "MissingParameter",
              "The request must contain the parameter InstanceId");
  ExpectError(ParseRebootInstances(Form("InstanceId.1=1343124")), "InvalidInstanceID.Malformed",
              "Invalid id: \"1343124\"");
  ExpectError(ParseStopInstances(Form("InstanceId.1=i-12345678&Hibernate=maybe")),
              "InvalidParameterValue");
  // Upper-case hex and wrong lengths are malformed.
  for (std::string_view bad : {"i-1234567890ABCDEF0", "i-123456789", "i-", "vpc-12345678"}) {
    ExpectError(ParseStartInstances(Form("InstanceId.1=" + std::string(bad))),
                "InvalidInstanceID.Malformed");
  }
}

TEST(RequestsTest, DescribeInstanceStatus) {
  auto r = ParseDescribeInstanceStatus(
      Form("InstanceId.1=i-12345678&IncludeAllInstances=true&Filter.1.Name=instance-status."
           "status&Filter.1.Value.1=ok"));
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->include_all_instances);
  EXPECT_EQ(r->base.ids, (std::vector<std::string>{"i-12345678"}));
  ASSERT_EQ(r->base.filters.size(), 1u);
  ExpectError(ParseDescribeInstanceStatus(Form("MaxResults=1001")), "InvalidParameterValue");
}

TEST(RequestsTest, ModifyInstanceAttributeStructuredForm) {
  // Body of "modify-instance-attribute-disable-api-termination" in ec2-vectors.txt.
  auto r = ParseModifyInstanceAttribute(
      Form("Action=ModifyInstanceAttribute&Version=2016-11-15&InstanceId=i-1234567890abcdef0&"
           "DisableApiTermination.Value=true"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->instance_id, kI1);
  EXPECT_EQ(r->disable_api_termination, std::optional<bool>(true));
  EXPECT_FALSE(r->disable_api_stop.has_value());
  EXPECT_FALSE(r->instance_type.has_value());

  auto type =
      ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&InstanceType.Value=m5.large"));
  ASSERT_TRUE(type.has_value());
  EXPECT_EQ(type->instance_type, std::optional<std::string>("m5.large"));
  auto stop =
      ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&DisableApiStop.Value=false"));
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(stop->disable_api_stop, std::optional<bool>(false));
  auto data = ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&UserData.Value=aGk%3D"));
  ASSERT_TRUE(data.has_value());
  EXPECT_EQ(data->user_data, std::optional<std::string>("aGk="));
}

TEST(RequestsTest, ModifyInstanceAttributeLegacyForm) {
  auto r = ParseModifyInstanceAttribute(
      Form("InstanceId=i-12345678&Attribute=disableApiTermination&Value=false"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->disable_api_termination, std::optional<bool>(false));
  auto t = ParseModifyInstanceAttribute(
      Form("InstanceId=i-12345678&Attribute=instanceType&Value=t3.small&DryRun=true"));
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->instance_type, std::optional<std::string>("t3.small"));
  EXPECT_TRUE(t->dry_run);
}

TEST(RequestsTest, ModifyInstanceAttributeErrors) {
  ExpectError(ParseModifyInstanceAttribute(Form("DisableApiTermination.Value=true")),
              "MissingParameter");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678")),
              "InvalidParameterCombination");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&DisableApiTermination."
                                                "Value=true&InstanceType.Value=t3.micro")),
              "InvalidParameterCombination",
              "Fields for multiple attribute types specified: disableApiTermination, instanceType");
  ExpectError(
      ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&DisableApiTermination.Value=1")),
      "InvalidParameterValue");
  ExpectError(
      ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&Attribute=disableApiStop&Value=x")),
      "InvalidParameterValue");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&Attribute=bogus&Value=1")),
              "InvalidParameterValue");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&Attribute=kernel")),
              "MissingParameter");
  ExpectError(
      ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&SourceDestCheck.Value=false")),
      "UnsupportedOperation");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&GroupId.1=sg-12345678")),
              "UnsupportedOperation");
  ExpectError(ParseModifyInstanceAttribute(Form("InstanceId=i-12345678&UserData.Value=%25")),
              "InvalidParameterValue");
}

TEST(RequestsTest, DescribeInstanceAttribute) {
  auto r =
      ParseDescribeInstanceAttribute(Form("InstanceId=i-12345678&Attribute=disableApiTermination"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->attribute, "disableApiTermination");
  ExpectError(ParseDescribeInstanceAttribute(Form("InstanceId=i-12345678")), "MissingParameter",
              "The request must contain the parameter Attribute");
  ExpectError(ParseDescribeInstanceAttribute(Form("InstanceId=i-12345678&Attribute=color")),
              "InvalidParameterValue");
}

TEST(RequestsTest, CreateAndDeleteTags) {
  auto c = ParseCreateTags(
      Form("Action=CreateTags&ResourceId.1=i-12345678&ResourceId.2=vpc-0123456789abcdef0&Tag.1.Key="
           "k&Tag.1.Value=v&Tag.2.Key=empty"));
  ASSERT_TRUE(c.has_value()) << c.error().ToString();
  EXPECT_EQ(c->resource_ids, (std::vector<std::string>{"i-12345678", "vpc-0123456789abcdef0"}));
  EXPECT_EQ(c->tags, (Tags{{"k", "v"}, {"empty", ""}}));
  ExpectError(ParseCreateTags(Form("ResourceId.1=i-12345678")), "MissingParameter",
              "The request must contain the parameter Tag");
  ExpectError(ParseCreateTags(Form("Tag.1.Key=k")), "MissingParameter",
              "The request must contain the parameter ResourceId");
  ExpectError(ParseCreateTags(Form("ResourceId.1=i-12345678&Tag.1.Value=v")), "MissingParameter",
              "The request must contain the parameter Tag.1.Key");
  ExpectError(ParseCreateTags(Form("ResourceId.1=web&Tag.1.Key=k")), "InvalidID",
              "The ID 'web' is not valid");

  auto d = ParseDeleteTags(
      Form("ResourceId.1=sg-12345678&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=&Tag.3.Key=c&Tag.3."
           "Value=x"));
  ASSERT_TRUE(d.has_value());
  ASSERT_EQ(d->tags.size(), 3u);
  EXPECT_EQ(d->tags[0].value, std::nullopt);
  EXPECT_EQ(d->tags[1].value, std::optional<std::string>(""));
  EXPECT_EQ(d->tags[2].value, std::optional<std::string>("x"));
  auto all = ParseDeleteTags(Form("ResourceId.1=sg-12345678"));
  ASSERT_TRUE(all.has_value());
  EXPECT_TRUE(all->tags.empty());
}

TEST(RequestsTest, DescribeTagsAndPagingRanges) {
  auto r = ParseDescribeTags(
      Form("Filter.1.Name=resource-id&Filter.1.Value.1=i-12345678&MaxResults=1000&NextToken=t"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->max_results, std::optional<int>(1000));
  EXPECT_EQ(r->next_token, "t");
  ExpectError(ParseDescribeVpcs(Form("MaxResults=4")), "InvalidParameterValue",
              "Invalid value '4' for parameter MaxResults: expected a value from 5 to 1000");
  ExpectError(ParseDescribeSubnets(Form("MaxResults=1001")), "InvalidParameterValue");
  ExpectError(ParseDescribeInstanceTypes(Form("MaxResults=101")), "InvalidParameterValue");
  EXPECT_TRUE(ParseDescribeInstanceTypes(Form("MaxResults=100")).has_value());
  ExpectError(ParseDescribeTags(Form("Filter.1.Value.1=x")), "MissingParameter",
              "The request must contain the parameter Filter.1.Name");
}

TEST(RequestsTest, VpcsAndSubnets) {
  auto v = ParseCreateVpc(
      Form("CidrBlock=10.0.0.0%2F16&InstanceTenancy=default&TagSpecification.1.ResourceType=vpc&"
           "TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=main"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->cidr_block, "10.0.0.0/16");
  EXPECT_EQ(v->instance_tenancy, "default");
  ASSERT_EQ(v->tag_specifications.size(), 1u);
  ExpectError(ParseCreateVpc(Form("CidrBlock=10.0.0.0%2F16&AmazonProvidedIpv6CidrBlock=true")),
              "UnsupportedOperation");

  auto dv = ParseDescribeVpcs(
      Form("VpcId.1=vpc-12345678&Filter.1.Name=is-default&Filter.1.Value.1=true"));
  ASSERT_TRUE(dv.has_value());
  EXPECT_EQ(dv->ids, (std::vector<std::string>{"vpc-12345678"}));
  ExpectError(ParseDescribeVpcs(Form("VpcId.1=vpc-1")), "InvalidVpcID.Malformed");

  auto del = ParseDeleteVpc(Form("VpcId=vpc-12345678&DryRun=true"));
  ASSERT_TRUE(del.has_value());
  EXPECT_EQ(del->id, "vpc-12345678");
  EXPECT_TRUE(del->dry_run);
  ExpectError(ParseDeleteVpc(Form("")), "MissingParameter",
              "The request must contain the parameter VpcId");

  auto s = ParseCreateSubnet(
      Form("VpcId=vpc-12345678&CidrBlock=10.0.1.0%2F24&AvailabilityZone=us-west-2a&"
           "AvailabilityZoneId=usw2-az1"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->vpc_id, "vpc-12345678");
  EXPECT_EQ(s->cidr_block, "10.0.1.0/24");
  EXPECT_EQ(s->availability_zone, "us-west-2a");
  EXPECT_EQ(s->availability_zone_id, "usw2-az1");
  ExpectError(ParseCreateSubnet(Form("CidrBlock=10.0.1.0%2F24")), "MissingParameter");
  ExpectError(ParseDescribeSubnets(Form("SubnetId.1=sub-12345678")), "InvalidSubnetID.Malformed");
  auto ds = ParseDeleteSubnet(Form("SubnetId=subnet-12345678"));
  ASSERT_TRUE(ds.has_value());
  EXPECT_EQ(ds->id, "subnet-12345678");
}

TEST(RequestsTest, ModifyVpcAttribute) {
  // Body of `aws ec2 modify-vpc-attribute --vpc-id ... --enable-dns-hostnames '{"Value":true}'`.
  auto r = ParseModifyVpcAttribute(
      Form("Action=ModifyVpcAttribute&Version=2016-11-15&VpcId=vpc-0123456789abcdef0&"
           "EnableDnsHostnames.Value=true"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->vpc_id, "vpc-0123456789abcdef0");
  EXPECT_EQ(r->enable_dns_hostnames, std::optional<bool>(true));
  EXPECT_EQ(r->enable_dns_support, std::nullopt);
  EXPECT_FALSE(r->dry_run);
  auto support = ParseModifyVpcAttribute(Form("VpcId=vpc-12345678&EnableDnsSupport.Value=false"));
  ASSERT_TRUE(support.has_value());
  EXPECT_EQ(support->enable_dns_support, std::optional<bool>(false));
  // The model has no DryRun for this operation: refused, never ignored.
  ExpectError(
      ParseModifyVpcAttribute(Form("VpcId=vpc-12345678&EnableDnsSupport.Value=false&DryRun=true")),
      "UnknownParameter", "The parameter DryRun is not recognized");
  // None or both: the region's InvalidParameterCombination (the Ec2 contract), not the parser's.
  auto none = ParseModifyVpcAttribute(Form("VpcId=vpc-12345678"));
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->enable_dns_support || none->enable_dns_hostnames);
  auto both = ParseModifyVpcAttribute(
      Form("VpcId=vpc-12345678&EnableDnsSupport.Value=true&EnableDnsHostnames.Value=true"));
  ASSERT_TRUE(both.has_value());
  EXPECT_TRUE(both->enable_dns_support && both->enable_dns_hostnames);

  ExpectError(ParseModifyVpcAttribute(Form("EnableDnsSupport.Value=true")), "MissingParameter",
              "The request must contain the parameter VpcId");
  ExpectError(ParseModifyVpcAttribute(Form("VpcId=vpc-1&EnableDnsSupport.Value=true")),
              "InvalidVpcID.Malformed");
  ExpectError(ParseModifyVpcAttribute(Form("VpcId=vpc-12345678&EnableDnsSupport.Value=on")),
              "InvalidParameterValue");
  ExpectError(
      ParseModifyVpcAttribute(Form("VpcId=vpc-12345678&EnableNetworkAddressUsageMetrics.Value=1")),
      "UnsupportedOperation");
  ExpectError(ParseModifyVpcAttribute(Form("VpcId=vpc-12345678&EnableDnsHostnames.Value=true&"
                                           "EnableNetworkAddressUsageMetrics.Value=true")),
              "InvalidParameterCombination",
              "Fields for multiple attribute types specified: enableDnsHostnames, "
              "enableNetworkAddressUsageMetrics");
}

TEST(RequestsTest, ModifySubnetAttribute) {
  // Body of `aws ec2 modify-subnet-attribute --subnet-id ... --map-public-ip-on-launch`.
  auto r = ParseModifySubnetAttribute(
      Form("Action=ModifySubnetAttribute&Version=2016-11-15&SubnetId=subnet-0123456789abcdef0&"
           "MapPublicIpOnLaunch.Value=true"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->subnet_id, "subnet-0123456789abcdef0");
  EXPECT_EQ(r->map_public_ip_on_launch, std::optional<bool>(true));
  auto off =
      ParseModifySubnetAttribute(Form("SubnetId=subnet-12345678&MapPublicIpOnLaunch.Value=false"));
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off->map_public_ip_on_launch, std::optional<bool>(false));
  ExpectError(ParseModifySubnetAttribute(
                  Form("SubnetId=subnet-12345678&MapPublicIpOnLaunch.Value=false&DryRun=false")),
              "UnknownParameter");
  auto none = ParseModifySubnetAttribute(Form("SubnetId=subnet-12345678"));
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->map_public_ip_on_launch, std::nullopt);  // the region's error

  ExpectError(ParseModifySubnetAttribute(Form("MapPublicIpOnLaunch.Value=true")),
              "MissingParameter", "The request must contain the parameter SubnetId");
  ExpectError(ParseModifySubnetAttribute(Form("SubnetId=sub-12345678")),
              "InvalidSubnetID.Malformed");
  ExpectError(
      ParseModifySubnetAttribute(Form("SubnetId=subnet-12345678&MapPublicIpOnLaunch.Value=yes")),
      "InvalidParameterValue");
  ExpectError(ParseModifySubnetAttribute(
                  Form("SubnetId=subnet-12345678&AssignIpv6AddressOnCreation.Value=true")),
              "UnsupportedOperation");
  ExpectError(ParseModifySubnetAttribute(
                  Form("SubnetId=subnet-12345678&AssignIpv6AddressOnCreation.Value=true&"
                       "MapPublicIpOnLaunch.Value=true")),
              "InvalidParameterCombination",
              "Only one subnet attribute can be modified at a time. Provided attributes: "
              "[assignIpv6AddressOnCreation, mapPublicIpOnLaunch]");
}

TEST(RequestsTest, SecurityGroups) {
  auto c = ParseCreateSecurityGroup(
      Form("GroupName=web&GroupDescription=web+servers&VpcId=vpc-12345678"));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->group_name, "web");
  EXPECT_EQ(c->description, "web servers");
  EXPECT_EQ(c->vpc_id, "vpc-12345678");
  ExpectError(ParseCreateSecurityGroup(Form("GroupName=web")), "MissingParameter",
              "The request must contain the parameter GroupDescription");

  auto d = ParseDescribeSecurityGroups(
      Form("GroupId.1=sg-12345678&GroupName.1=default&GroupName.2=web"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ids, (std::vector<std::string>{"sg-12345678"}));
  ASSERT_EQ(d->filters.size(), 1u);
  EXPECT_EQ(d->filters[0].name, "group-name");
  EXPECT_EQ(d->filters[0].values, (std::vector<std::string>{"default", "web"}));

  auto del = ParseDeleteSecurityGroup(Form("GroupName=web"));
  ASSERT_TRUE(del.has_value());
  EXPECT_EQ(del->group_name, "web");
  ExpectError(ParseDeleteSecurityGroup(Form("")), "MissingParameter");
  ExpectError(ParseDeleteSecurityGroup(Form("GroupId=web")), "InvalidGroupId.Malformed");
}

TEST(RequestsTest, AuthorizeIngressStructured) {
  auto r = ParseAuthorizeSecurityGroupIngress(Form(
      "GroupId=sg-12345678&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=22&"
      "IpPermissions.1.ToPort=22&IpPermissions.1.IpRanges.1.CidrIp=10.0.0.0%2F8&"
      "IpPermissions.1.IpRanges.1.Description=ssh&IpPermissions.1.IpRanges.2.CidrIp=192.168.0.0%"
      "2F16&IpPermissions.2.IpProtocol=-1&IpPermissions.2.Groups.1.GroupId=sg-87654321&"
      "IpPermissions.2.Groups.1.UserId=123456789012"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->group_id, "sg-12345678");
  ASSERT_EQ(r->permissions.size(), 2u);
  const IpPermission& ssh = r->permissions[0];
  EXPECT_EQ(ssh.ip_protocol, "tcp");
  EXPECT_EQ(ssh.from_port, std::optional<int>(22));
  EXPECT_EQ(ssh.to_port, std::optional<int>(22));
  EXPECT_EQ(ssh.ip_ranges, (std::vector<IpRange>{{"10.0.0.0/8", "ssh"}, {"192.168.0.0/16", ""}}));
  const IpPermission& all = r->permissions[1];
  EXPECT_EQ(all.ip_protocol, "-1");
  EXPECT_FALSE(all.from_port.has_value());
  EXPECT_EQ(all.groups, (std::vector<UserIdGroupPair>{{"sg-87654321", "", "123456789012"}}));
}

TEST(RequestsTest, AuthorizeAndRevokeIngressLegacyFlat) {
  auto r = ParseRevokeSecurityGroupIngress(
      Form("GroupName=web&IpProtocol=tcp&FromPort=80&ToPort=80&CidrIp=0.0.0.0%2F0"));
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->group_name, "web");
  ASSERT_EQ(r->permissions.size(), 1u);
  EXPECT_EQ(r->permissions[0].ip_protocol, "tcp");
  EXPECT_EQ(r->permissions[0].from_port, std::optional<int>(80));
  EXPECT_EQ(r->permissions[0].ip_ranges, (std::vector<IpRange>{{"0.0.0.0/0", ""}}));

  auto src = ParseAuthorizeSecurityGroupIngress(
      Form("GroupName=web&SourceSecurityGroupName=lb&SourceSecurityGroupOwnerId=123456789012"));
  ASSERT_TRUE(src.has_value());
  EXPECT_EQ(src->permissions[0].ip_protocol, "-1");
  EXPECT_EQ(src->permissions[0].groups, (std::vector<UserIdGroupPair>{{"", "lb", "123456789012"}}));
}

TEST(RequestsTest, IngressErrors) {
  ExpectError(ParseAuthorizeSecurityGroupIngress(Form("IpProtocol=tcp")), "MissingParameter",
              "The request must contain the parameter GroupId or GroupName");
  ExpectError(ParseAuthorizeSecurityGroupIngress(Form("GroupId=sg-12345678")), "MissingParameter",
              "The request must contain the parameter IpPermissions");
  ExpectError(ParseAuthorizeSecurityGroupIngress(
                  Form("GroupId=sg-12345678&IpProtocol=tcp&IpPermissions.1.IpProtocol=udp")),
              "InvalidParameterCombination");
  ExpectError(
      ParseAuthorizeSecurityGroupIngress(Form("GroupId=sg-12345678&IpPermissions.1.FromPort=22")),
      "MissingParameter", "The request must contain the parameter IpPermissions.1.IpProtocol");
  ExpectError(ParseAuthorizeSecurityGroupIngress(
                  Form("GroupId=sg-12345678&IpPermissions.1.IpProtocol=tcp&IpPermissions.1."
                       "FromPort=70000")),
              "InvalidParameterValue");
  ExpectError(ParseAuthorizeSecurityGroupIngress(
                  Form("GroupId=sg-12345678&IpPermissions.1.IpProtocol=tcp&IpPermissions.1."
                       "Groups.1.GroupId=sg-x")),
              "InvalidGroupId.Malformed");
  ExpectError(ParseAuthorizeSecurityGroupIngress(
                  Form("GroupId=sg-12345678&IpPermissions.1.IpProtocol=tcp&IpPermissions.1."
                       "Ipv6Ranges.1.CidrIpv6=%3A%3A%2F0")),
              "UnsupportedOperation");
  ExpectError(ParseRevokeSecurityGroupIngress(
                  Form("GroupId=sg-12345678&SecurityGroupRuleId.1=sgr-12345678")),
              "UnsupportedOperation");
}

TEST(RequestsTest, CatalogDescribes) {
  auto images = ParseDescribeImages(
      Form("ImageId.1=ami-12345678&Owner.1=amazon&Owner.2=self&Filter.1.Name=architecture&"
           "Filter.1.Value.1=arm64&IncludeDeprecated=false"));
  ASSERT_TRUE(images.has_value());
  EXPECT_EQ(images->base.ids, (std::vector<std::string>{"ami-12345678"}));
  EXPECT_EQ(images->owners, (std::vector<std::string>{"amazon", "self"}));
  ExpectError(ParseDescribeImages(Form("ImageId.1=ubuntu")), "InvalidAMIID.Malformed");

  auto types = ParseDescribeInstanceTypes(Form("InstanceType.1=t3.micro&InstanceType.2=m5.large"));
  ASSERT_TRUE(types.has_value());
  EXPECT_EQ(types->ids, (std::vector<std::string>{"t3.micro", "m5.large"}));

  auto zones = ParseDescribeAvailabilityZones(
      Form("ZoneName.1=us-west-2a&ZoneId.1=usw2-az2&AllAvailabilityZones=true"));
  ASSERT_TRUE(zones.has_value());
  EXPECT_EQ(zones->ids, (std::vector<std::string>{"us-west-2a"}));
  ASSERT_EQ(zones->filters.size(), 1u);
  EXPECT_EQ(zones->filters[0].name, "zone-id");

  // Body of "describe-regions-eu-west-1" in ec2-vectors.txt.
  auto regions = ParseDescribeRegions(Form("Action=DescribeRegions&Version=2016-11-15"));
  ASSERT_TRUE(regions.has_value());
  EXPECT_TRUE(regions->ids.empty());
  auto named = ParseDescribeRegions(Form("RegionName.1=us-west-2&AllRegions=false"));
  ASSERT_TRUE(named.has_value());
  EXPECT_EQ(named->ids, (std::vector<std::string>{"us-west-2"}));
  ExpectError(ParseDescribeRegions(Form("AllRegions=yes")), "InvalidParameterValue");
}

}  // namespace
}  // namespace ec2m::query
