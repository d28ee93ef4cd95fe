#include "stack/actual.hpp"

#include "core/paging.hpp"
#include "stack/template.hpp"

namespace ec2m::stack {
namespace {

std::map<std::string, std::string> TagMap(const Tags& tags) {
  std::map<std::string, std::string> out;
  for (const Tag& t : tags) {
    out[t.key] = t.value;
  }
  return out;
}

// Security group rules in the template's shape, sorted so that order does not count as a change.
nlohmann::json Ingress(const std::vector<IpPermission>& permissions) {
  std::vector<nlohmann::json> rules;
  for (const IpPermission& p : permissions) {
    auto base = [&p] {
      nlohmann::json r = {{"IpProtocol", p.ip_protocol}};
      if (p.ip_protocol == "tcp" || p.ip_protocol == "udp") {
        r["FromPort"] = p.from_port.value_or(0);
        r["ToPort"] = p.to_port.value_or(0);
      }
      return r;
    };
    for (const IpRange& range : p.ip_ranges) {
      nlohmann::json r = base();
      r["CidrIp"] = range.cidr_ip;
      if (!range.description.empty()) {
        r["Description"] = range.description;
      }
      rules.push_back(r);
    }
    for (const UserIdGroupPair& g : p.groups) {
      nlohmann::json r = base();
      r["SourceSecurityGroupId"] = g.group_id;
      rules.push_back(r);
    }
  }
  std::sort(rules.begin(), rules.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
  return rules;
}

}  // namespace

Result<ActualState> ReadActual(Ec2& ec2, const std::string& environment) {
  ActualState out;
  DescribeRequest req;
  req.filters = {{"tag:Environment", {environment}}, {"tag-key", {kLogicalIdTag}}};
  auto counted = [&out](auto describe) {
    return [&out, describe](const DescribeRequest& r) {
      ++out.calls;
      return describe(r);
    };
  };
  auto add = [&out](std::string type, std::string id, std::string state, nlohmann::json props,
                    const Tags& tags) {
    auto map = TagMap(tags);
    std::string logical = map[kLogicalIdTag];
    out.resources.push_back({std::move(logical), std::move(type), std::move(id), std::move(state),
                             std::move(props), std::move(map)});
  };

  auto vpcs =
      DescribeAll(req, counted([&](const DescribeRequest& r) { return ec2.DescribeVpcs(r); }));
  EC2M_RETURN_IF_ERROR(vpcs);
  for (const Vpc& v : *vpcs) {
    add("AWS::EC2::VPC", v.vpc_id, v.state, {{"CidrBlock", v.cidr_block}}, v.tags);
  }
  auto subnets =
      DescribeAll(req, counted([&](const DescribeRequest& r) { return ec2.DescribeSubnets(r); }));
  EC2M_RETURN_IF_ERROR(subnets);
  for (const Subnet& s : *subnets) {
    add("AWS::EC2::Subnet", s.subnet_id, s.state,
        {{"VpcId", s.vpc_id},
         {"CidrBlock", s.cidr_block},
         {"AvailabilityZone", s.availability_zone}},
        s.tags);
  }
  auto groups = DescribeAll(
      req, counted([&](const DescribeRequest& r) { return ec2.DescribeSecurityGroups(r); }));
  EC2M_RETURN_IF_ERROR(groups);
  for (const SecurityGroup& g : *groups) {
    add("AWS::EC2::SecurityGroup", g.group_id, "",
        {{"GroupName", g.group_name},
         {"GroupDescription", g.description},
         {"VpcId", g.vpc_id},
         {"SecurityGroupIngress", Ingress(g.ingress)}},
        g.tags);
  }
  DescribeRequest live = req;
  live.filters.push_back({"instance-state-name", {"pending", "running", "stopping", "stopped"}});
  auto reservations = DescribeAll(
      live, counted([&](const DescribeRequest& r) { return ec2.DescribeInstances(r); }));
  EC2M_RETURN_IF_ERROR(reservations);
  for (const Reservation& res : *reservations) {
    for (const Instance& i : res.instances) {
      nlohmann::json sgs = nlohmann::json::array();
      for (const GroupIdentifier& g : i.security_groups) {
        sgs.push_back(g.group_id);
      }
      add("AWS::EC2::Instance", i.instance_id, std::string(InstanceStateName(i.state)),
          {{"ImageId", i.image_id},
           {"InstanceType", i.instance_type},
           {"SubnetId", i.subnet_id},
           {"SecurityGroupIds", sgs}},
          i.tags);
    }
  }
  return out;
}

}  // namespace ec2m::stack
