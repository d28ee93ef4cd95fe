#include "cloud/query/dispatch.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <pugixml.hpp>

namespace ec2m::query {
namespace {

// An Ec2 that counts calls, remembers the last DescribeInstances request and answers with
// canned values or a preset error.
class FakeEc2 final : public Ec2 {
 public:
  int calls = 0;
  std::optional<Error> fail;
  DescribeRequest last_describe;
  // What DescribeInstances lists: paged by max_results (tokens are positions), consecutive
  // instances of one reservation_id grouped into one reservation.
  std::vector<Instance> fleet;

  template <typename T>
  Result<T> Answer(T value) {
    ++calls;
    if (fail) {
      return Fail(*fail);
    }
    return value;
  }
  Result<void> AnswerVoid() {
    ++calls;
    if (fail) {
      return Fail(*fail);
    }
    return {};
  }

  Result<Reservation> RunInstances(const RunInstancesRequest&) override {
    return Answer(Reservation{"r-12345678", "123456789012", {}, {}});
  }
  Result<Page<Reservation>> DescribeInstances(const DescribeRequest& req) override {
    last_describe = req;
    const size_t start = req.next_token.empty() ? 0 : std::stoul(req.next_token);
    const size_t end =
        req.max_results ? std::min(fleet.size(), start + *req.max_results) : fleet.size();
    Page<Reservation> page;
    for (size_t n = start; n < end; ++n) {
      if (page.items.empty() || page.items.back().reservation_id != fleet[n].reservation_id) {
        page.items.push_back(Reservation{fleet[n].reservation_id, "123456789012", {}, {}});
      }
      page.items.back().instances.push_back(fleet[n]);
    }
    if (end < fleet.size()) {
      page.next_token = std::to_string(end);
    }
    return Answer(std::move(page));
  }
  Result<Page<InstanceStatus>> DescribeInstanceStatus(
      const DescribeInstanceStatusRequest&) override {
    return Answer(Page<InstanceStatus>{});
  }
  Result<std::vector<InstanceStateChange>> StartInstances(const InstanceIdsRequest& r) override {
    return Answer(std::vector<InstanceStateChange>{
        {r.instance_ids.at(0), InstanceState::kPending, InstanceState::kStopped}});
  }
  Result<std::vector<InstanceStateChange>> StopInstances(const InstanceIdsRequest&) override {
    return Answer(std::vector<InstanceStateChange>{});
  }
  Result<void> RebootInstances(const InstanceIdsRequest&) override { return AnswerVoid(); }
  Result<std::vector<InstanceStateChange>> TerminateInstances(const InstanceIdsRequest&) override {
    return Answer(std::vector<InstanceStateChange>{});
  }
  Result<void> ModifyInstanceAttribute(const ModifyInstanceAttributeRequest&) override {
    return AnswerVoid();
  }
  Result<InstanceAttribute> DescribeInstanceAttribute(
      const DescribeInstanceAttributeRequest& r) override {
    return Answer(InstanceAttribute{r.instance_id, r.attribute, "false", true});
  }
  Result<void> MonitorInstances(const InstanceIdsRequest&) override { return AnswerVoid(); }
  Result<void> UnmonitorInstances(const InstanceIdsRequest&) override { return AnswerVoid(); }
  Result<void> CreateTags(const CreateTagsRequest&) override { return AnswerVoid(); }
  Result<void> DeleteTags(const DeleteTagsRequest&) override { return AnswerVoid(); }
  Result<Page<TagDescription>> DescribeTags(const DescribeRequest&) override {
    return Answer(Page<TagDescription>{});
  }
  Result<Vpc> CreateVpc(const CreateVpcRequest&) override { return Answer(Vpc{}); }
  Result<Page<Vpc>> DescribeVpcs(const DescribeRequest&) override { return Answer(Page<Vpc>{}); }
  Result<void> ModifyVpcAttribute(const ModifyVpcAttributeRequest&) override {
    return AnswerVoid();
  }
  Result<void> DeleteVpc(const DeleteRequest&) override { return AnswerVoid(); }
  Result<Subnet> CreateSubnet(const CreateSubnetRequest&) override { return Answer(Subnet{}); }
  Result<Page<Subnet>> DescribeSubnets(const DescribeRequest&) override {
    return Answer(Page<Subnet>{});
  }
  Result<void> ModifySubnetAttribute(const ModifySubnetAttributeRequest&) override {
    return AnswerVoid();
  }
  Result<void> DeleteSubnet(const DeleteRequest&) override { return AnswerVoid(); }
  Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest&) override {
    return Answer(SecurityGroup{});
  }
  Result<Page<SecurityGroup>> DescribeSecurityGroups(const DescribeRequest&) override {
    return Answer(Page<SecurityGroup>{});
  }
  Result<void> AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest&) override {
    return AnswerVoid();
  }
  Result<void> RevokeSecurityGroupIngress(const SecurityGroupRulesRequest&) override {
    return AnswerVoid();
  }
  Result<void> DeleteSecurityGroup(const DeleteSecurityGroupRequest&) override {
    return AnswerVoid();
  }
  Result<Page<Image>> DescribeImages(const DescribeImagesRequest&) override {
    return Answer(Page<Image>{});
  }
  Result<Page<InstanceTypeInfo>> DescribeInstanceTypes(const DescribeRequest&) override {
    return Answer(Page<InstanceTypeInfo>{});
  }
  Result<std::vector<AvailabilityZone>> DescribeAvailabilityZones(const DescribeRequest&) override {
    return Answer(std::vector<AvailabilityZone>{});
  }
  Result<std::vector<Region>> DescribeRegions(const DescribeRequest&) override {
    return Answer(std::vector<Region>{});
  }
};

QueryResponse Serve(FakeEc2& ec2, std::string_view body) {
  auto params = ParseForm(body);
  EXPECT_TRUE(params.has_value());
  return Dispatch(ec2, params ? *params : Params{}, "req-1");
}

std::string ErrorCodeOf(const QueryResponse& r) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(r.body.c_str())) << r.body;
  return doc.select_node("/Response/Errors/Error/Code").node().child_value();
}

std::string RootName(const QueryResponse& r) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(r.body.c_str())) << r.body;
  return doc.document_element().name();
}

TEST(DispatchTest, MissingAndUnknownAction) {
  FakeEc2 ec2;
  QueryResponse missing = Serve(ec2, "Version=2016-11-15");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(ErrorCodeOf(missing), "MissingAction");

  QueryResponse unknown = Serve(ec2, "Action=LaunchRockets&Version=2016-11-15");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ErrorCodeOf(unknown), "InvalidAction");
  EXPECT_NE(unknown.body.find("The action LaunchRockets is not valid for this web service."),
            std::string::npos);
  EXPECT_EQ(ec2.calls, 0);
}

TEST(DispatchTest, VersionIsNotChecked) {
  FakeEc2 ec2;
  EXPECT_EQ(Serve(ec2, "Action=DescribeRegions").status, 200);
  EXPECT_EQ(Serve(ec2, "Action=DescribeRegions&Version=2014-01-01").status, 200);
}

TEST(DispatchTest, BadRequestsNeverReachTheRegion) {
  FakeEc2 ec2;
  QueryResponse malformed = Serve(ec2, "Action=TerminateInstances&InstanceId.1=i-xyz");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(ErrorCodeOf(malformed), "InvalidInstanceID.Malformed");
  EXPECT_EQ(ErrorCodeOf(Serve(ec2, "Action=StartInstances")), "MissingParameter");
  EXPECT_EQ(ErrorCodeOf(Serve(ec2, "Action=DescribeInstances&DryRun=1")), "InvalidParameterValue");
  EXPECT_EQ(ec2.calls, 0);
}

TEST(DispatchTest, SuccessSerializesTheOperationsOutput) {
  FakeEc2 ec2;
  QueryResponse r = Serve(ec2, "Action=DescribeInstances&InstanceId.1=i-12345678");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(RootName(r), "DescribeInstancesResponse");
  EXPECT_EQ(ec2.last_describe.ids, (std::vector<std::string>{"i-12345678"}));

  QueryResponse start = Serve(ec2, "Action=StartInstances&InstanceId.1=i-12345678");
  EXPECT_EQ(RootName(start), "StartInstancesResponse");
  EXPECT_NE(start.body.find("<instanceId>i-12345678</instanceId>"), std::string::npos);

  QueryResponse reboot = Serve(ec2, "Action=RebootInstances&InstanceId.1=i-12345678");
  EXPECT_EQ(RootName(reboot), "RebootInstancesResponse");
  EXPECT_NE(reboot.body.find("<return>true</return>"), std::string::npos);
  EXPECT_NE(reboot.body.find("<requestId>req-1</requestId>"), std::string::npos);
}

TEST(DispatchTest, MonitoringAnswersTheStateUnderWay) {
  FakeEc2 ec2;
  QueryResponse on =
      Serve(ec2, "Action=MonitorInstances&InstanceId.1=i-12345678&InstanceId.2=i-87654321");
  EXPECT_EQ(on.status, 200);
  EXPECT_EQ(RootName(on), "MonitorInstancesResponse");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(on.body.c_str()));
  const auto items = doc.select_nodes("/MonitorInstancesResponse/instancesSet/item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_STREQ(items[1].node().child_value("instanceId"), "i-87654321");
  EXPECT_STREQ(items[1].node().child("monitoring").child_value("state"), "pending");
  QueryResponse off = Serve(ec2, "Action=UnmonitorInstances&InstanceId.1=i-12345678");
  EXPECT_NE(off.body.find("<monitoring><state>disabling</state></monitoring>"), std::string::npos)
      << off.body;
  ec2.fail = Error{ErrorCode::kNotFound, "The instance ID 'i-12345678' does not exist",
                   "InvalidInstanceID.NotFound", ""};
  EXPECT_EQ(ErrorCodeOf(Serve(ec2, "Action=MonitorInstances&InstanceId.1=i-12345678")),
            "InvalidInstanceID.NotFound");
  EXPECT_EQ(ec2.calls, 3);
}

TEST(DispatchTest, RegionErrorsGoThroughTheTable) {
  FakeEc2 ec2;
  ec2.fail = Error{ErrorCode::kFailedPrecondition,
                   "Request would have succeeded, but DryRun flag is set.", "DryRunOperation", ""};
  QueryResponse dry = Serve(ec2, "Action=RebootInstances&InstanceId.1=i-12345678&DryRun=true");
  EXPECT_EQ(dry.status, 412);
  EXPECT_EQ(ErrorCodeOf(dry), "DryRunOperation");
  ec2.fail = Error{ErrorCode::kThrottled, "Request limit exceeded.", "", ""};
  QueryResponse throttled = Serve(ec2, "Action=DescribeVpcs");
  EXPECT_EQ(throttled.status, 503);
  EXPECT_EQ(ErrorCodeOf(throttled), "RequestLimitExceeded");
}

// One well-formed request per action, each of which must reach the region and answer 200 with
// `<{Action}Response>`.
TEST(DispatchTest, EveryActionIsServed) {
  const std::map<std::string, std::string> bodies = {
      {"RunInstances", "ImageId=ami-12345678&MinCount=1&MaxCount=1"},
      {"DescribeInstances", ""},
      {"DescribeInstanceStatus", ""},
      {"StartInstances", "InstanceId.1=i-12345678"},
      {"StopInstances", "InstanceId.1=i-12345678"},
      {"RebootInstances", "InstanceId.1=i-12345678"},
      {"TerminateInstances", "InstanceId.1=i-12345678"},
      {"ModifyInstanceAttribute", "InstanceId=i-12345678&DisableApiStop.Value=true"},
      {"DescribeInstanceAttribute", "InstanceId=i-12345678&Attribute=disableApiStop"},
      {"MonitorInstances", "InstanceId.1=i-12345678"},
      {"UnmonitorInstances", "InstanceId.1=i-12345678"},
      {"CreateTags", "ResourceId.1=i-12345678&Tag.1.Key=k"},
      {"DeleteTags", "ResourceId.1=i-12345678"},
      {"DescribeTags", ""},
      {"CreateVpc", "CidrBlock=10.0.0.0%2F16"},
      {"DescribeVpcs", ""},
      {"ModifyVpcAttribute", "VpcId=vpc-12345678&EnableDnsHostnames.Value=true"},
      {"DeleteVpc", "VpcId=vpc-12345678"},
      {"CreateSubnet", "VpcId=vpc-12345678&CidrBlock=10.0.0.0%2F24"},
      {"DescribeSubnets", ""},
      {"ModifySubnetAttribute", "SubnetId=subnet-12345678&MapPublicIpOnLaunch.Value=true"},
      {"DeleteSubnet", "SubnetId=subnet-12345678"},
      {"CreateSecurityGroup", "GroupName=g&GroupDescription=d"},
      {"DescribeSecurityGroups", ""},
      {"AuthorizeSecurityGroupIngress", "GroupName=g&IpProtocol=tcp&FromPort=1&ToPort=2"},
      {"RevokeSecurityGroupIngress", "GroupName=g&IpProtocol=tcp&FromPort=1&ToPort=2"},
      {"DeleteSecurityGroup", "GroupName=g"},
      {"DescribeImages", ""},
      {"DescribeInstanceTypes", ""},
      {"DescribeAvailabilityZones", ""},
      {"DescribeRegions", ""},
  };
  const std::vector<std::string_view> actions = SupportedActions();
  EXPECT_EQ(actions.size(), bodies.size());
  EXPECT_TRUE(std::is_sorted(actions.begin(), actions.end()));
  for (std::string_view action : actions) {
    SCOPED_TRACE(std::string(action));
    ASSERT_TRUE(bodies.count(std::string(action)));
    FakeEc2 ec2;
    const std::string body =
        "Action=" + std::string(action) + "&Version=2016-11-15&" + bodies.at(std::string(action));
    QueryResponse r = Serve(ec2, body);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(RootName(r), std::string(action) + "Response");
    EXPECT_EQ(ec2.calls, 1);
  }
}

// 23 instances in reservations of 7, 9 and 7.
std::vector<Instance> Fleet() {
  std::vector<Instance> fleet;
  for (int n = 0; n < 23; ++n) {
    Instance i;
    i.instance_id = fmt::format("i-{:017x}", n);
    i.reservation_id = n < 7    ? "r-00000000000000001"
                       : n < 16 ? "r-00000000000000002"
                                : "r-00000000000000003";
    i.image_id = "ami-12345678";
    i.tags = {{"Name", "web & <" + std::to_string(n) + ">"}};
    fleet.push_back(std::move(i));
  }
  return fleet;
}

// Calls `stream` until it says the end; the pieces concatenated.
std::string Drain(QueryResponse& r, int& pieces) {
  std::string body = r.body;
  for (bool more = static_cast<bool>(r.stream); more;) {
    std::string piece;
    auto next = r.stream(piece);
    EXPECT_TRUE(next.has_value());
    more = next.has_value() && *next;
    body += piece;
    ++pieces;
  }
  return body;
}

// DispatchStreamed with windows of 5 instances.
QueryResponse ServeStreamed(FakeEc2& ec2, std::string_view body) {
  auto params = ParseForm(body);
  EXPECT_TRUE(params.has_value());
  return DispatchStreamed(ec2, params ? *params : Params{}, "req-1", 5);
}

TEST(DispatchStreamedTest, AnswersLargerThanAWindowAreDispatchsAnswerInPieces) {
  FakeEc2 ec2;
  ec2.fleet = Fleet();
  const QueryResponse whole = Serve(ec2, "Action=DescribeInstances&Version=2016-11-15");
  QueryResponse streamed = ServeStreamed(ec2, "Action=DescribeInstances&Version=2016-11-15");
  EXPECT_EQ(streamed.status, 200);
  ASSERT_TRUE(streamed.stream);
  EXPECT_EQ(streamed.body, "");
  EXPECT_EQ(ec2.calls, 2);  // Serve's, then the first window only
  int pieces = 0;
  EXPECT_EQ(Drain(streamed, pieces), whole.body);
  EXPECT_EQ(pieces, 5);  // 5 + 5 + 5 + 5 + 3 instances
  EXPECT_EQ(ec2.last_describe.max_results, 5);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(whole.body.c_str()));
  EXPECT_EQ(doc.select_nodes("//reservationSet/item").size(), 3u);
}

TEST(DispatchStreamedTest, OneWindowIsAWholeAnswer) {
  FakeEc2 ec2;
  ec2.fleet = Fleet();
  ec2.fleet.resize(5);
  const QueryResponse streamed = ServeStreamed(ec2, "Action=DescribeInstances");
  EXPECT_FALSE(streamed.stream);
  EXPECT_EQ(streamed.body, Serve(ec2, "Action=DescribeInstances").body);
}

TEST(DispatchStreamedTest, PagesAndOtherActionsAreDispatched) {
  FakeEc2 ec2;
  ec2.fleet = Fleet();
  const QueryResponse page = ServeStreamed(ec2, "Action=DescribeInstances&MaxResults=10");
  EXPECT_FALSE(page.stream);
  EXPECT_EQ(ec2.last_describe.max_results, 10);
  EXPECT_EQ(page.body, Serve(ec2, "Action=DescribeInstances&MaxResults=10").body);
  EXPECT_EQ(ServeStreamed(ec2, "Action=DescribeRegions").body,
            Serve(ec2, "Action=DescribeRegions").body);
}

TEST(DispatchStreamedTest, FirstWindowErrorsAreErrorAnswers) {
  FakeEc2 ec2;
  ec2.fleet = Fleet();
  EXPECT_EQ(ErrorCodeOf(ServeStreamed(ec2, "Action=DescribeInstances&InstanceId.1=i-xyz")),
            "InvalidInstanceID.Malformed");
  EXPECT_EQ(ec2.calls, 0);
  ec2.fail = Error{ErrorCode::kNotFound, "The instance ID 'i-12345678' does not exist",
                   "InvalidInstanceID.NotFound", ""};
  const QueryResponse missing = ServeStreamed(ec2, "Action=DescribeInstances");
  EXPECT_EQ(missing.status, 400);
  EXPECT_FALSE(missing.stream);
  EXPECT_EQ(ErrorCodeOf(missing), "InvalidInstanceID.NotFound");
}

TEST(DispatchStreamedTest, ALaterWindowsErrorCutsTheAnswer) {
  FakeEc2 ec2;
  ec2.fleet = Fleet();
  QueryResponse r = ServeStreamed(ec2, "Action=DescribeInstances");
  ASSERT_TRUE(r.stream);
  std::string piece;
  auto first = r.stream(piece);  // the first window, read before the answer
  ASSERT_TRUE(first.has_value());
  EXPECT_TRUE(*first);
  EXPECT_NE(piece.find("<DescribeInstancesResponse"), std::string::npos);
  ec2.fail = Error{ErrorCode::kUnavailable, "gone", "", ""};
  piece.clear();
  auto next = r.stream(piece);
  ASSERT_FALSE(next.has_value());
  EXPECT_EQ(next.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace ec2m::query
