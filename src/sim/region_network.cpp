// SimRegion: VPCs, subnets and security groups.

#include <algorithm>

#include <fmt/format.h>

#include "sim/catalog.hpp"
#include "sim/filters.hpp"
#include "sim/region.hpp"
#include "sim/region_internal.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

namespace {

bool VpcValues(const Vpc& v, std::string_view name, std::vector<std::string>& out) {
  if (name == "vpc-id") {
    out.push_back(v.vpc_id);
  } else if (name == "cidr" || name == "cidr-block-association.cidr-block" ||
             name == "cidr-block") {
    out.push_back(v.cidr_block);
  } else if (name == "state") {
    out.push_back(v.state);
  } else if (name == "is-default" || name == "isDefault") {
    out.emplace_back(v.is_default ? "true" : "false");
  } else if (name == "owner-id") {
    out.push_back(v.owner_id);
  } else if (name == "dhcp-options-id") {
    out.push_back(v.dhcp_options_id);
  } else {
    return TagFilterValues(v.tags, name, out);
  }
  return true;
}

bool SubnetValues(const Subnet& s, std::string_view name, std::vector<std::string>& out) {
  if (name == "subnet-id") {
    out.push_back(s.subnet_id);
  } else if (name == "vpc-id") {
    out.push_back(s.vpc_id);
  } else if (name == "cidr-block" || name == "cidr" || name == "cidrBlock") {
    out.push_back(s.cidr_block);
  } else if (name == "availability-zone" || name == "availabilityZone") {
    out.push_back(s.availability_zone);
  } else if (name == "availability-zone-id") {
    out.push_back(s.availability_zone_id);
  } else if (name == "state") {
    out.push_back(s.state);
  } else if (name == "default-for-az" || name == "defaultForAz") {
    out.emplace_back(s.default_for_az ? "true" : "false");
  } else if (name == "map-public-ip-on-launch") {
    out.emplace_back(s.map_public_ip_on_launch ? "true" : "false");
  } else if (name == "available-ip-address-count") {
    out.push_back(std::to_string(s.available_ip_address_count));
  } else if (name == "owner-id") {
    out.push_back(s.owner_id);
  } else if (name == "subnet-arn") {
    out.push_back(s.subnet_arn);
  } else {
    return TagFilterValues(s.tags, name, out);
  }
  return true;
}

void PermissionValues(const std::vector<IpPermission>& perms, std::string_view field,
                      std::vector<std::string>& out) {
  for (const auto& p : perms) {
    if (field == "protocol") {
      out.push_back(p.ip_protocol);
    } else if (field == "from-port" && p.from_port) {
      out.push_back(std::to_string(*p.from_port));
    } else if (field == "to-port" && p.to_port) {
      out.push_back(std::to_string(*p.to_port));
    } else if (field == "cidr") {
      for (const auto& r : p.ip_ranges) {
        out.push_back(r.cidr_ip);
      }
    } else if (field == "group-id" || field == "group-name") {
      for (const auto& g : p.groups) {
        out.push_back(field == "group-id" ? g.group_id : g.group_name);
      }
    }
  }
}

bool GroupValues(const SecurityGroup& g, std::string_view name, std::vector<std::string>& out) {
  static constexpr std::string_view kFields[] = {"protocol", "from-port", "to-port",
                                                 "cidr",     "group-id",  "group-name"};
  if (name == "group-id") {
    out.push_back(g.group_id);
  } else if (name == "group-name") {
    out.push_back(g.group_name);
  } else if (name == "description") {
    out.push_back(g.description);
  } else if (name == "vpc-id") {
    out.push_back(g.vpc_id);
  } else if (name == "owner-id") {
    out.push_back(g.owner_id);
  } else if (name.starts_with("ip-permission.") || name.starts_with("egress.ip-permission.")) {
    const bool egress = name.starts_with("egress.");
    const std::string_view field = name.substr(name.find("ip-permission.") + 14);
    if (std::find(std::begin(kFields), std::end(kFields), field) == std::end(kFields)) {
      return false;
    }
    PermissionValues(egress ? g.egress : g.ingress, field, out);
  } else {
    return TagFilterValues(g.tags, name, out);
  }
  return true;
}

Result<Cidr> BlockCidr(const std::string& text, std::string_view parameter) {
  auto cidr = ParseCidr(text);
  if (!cidr) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("Value ({}) for parameter {} is invalid. This is not a valid CIDR block.", text,
                    parameter),
        "InvalidParameterValue");
  }
  if (cidr->prefix < 16 || cidr->prefix > 28) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("The CIDR '{}' is invalid: the prefix must be between /16 and /28.", text),
        parameter == "cidrBlock" ? "InvalidVpc.Range" : "InvalidSubnet.Range");
  }
  return *cidr;
}

// Normalized rules: one entry per (protocol, ports, peer) so duplicates can be found and revoked.
struct Rule {
  std::string protocol;
  std::optional<int> from;
  std::optional<int> to;
  std::string cidr;
  std::string group_id;
  std::string description;
  bool SamePeer(const Rule& o) const {
    return protocol == o.protocol && from == o.from && to == o.to && cidr == o.cidr &&
           group_id == o.group_id;
  }
};

std::vector<Rule> Flatten(const std::vector<IpPermission>& perms) {
  std::vector<Rule> rules;
  for (const auto& p : perms) {
    for (const auto& r : p.ip_ranges) {
      rules.push_back({p.ip_protocol, p.from_port, p.to_port, r.cidr_ip, "", r.description});
    }
    for (const auto& g : p.groups) {
      rules.push_back({p.ip_protocol, p.from_port, p.to_port, "", g.group_id, ""});
    }
  }
  return rules;
}

std::vector<IpPermission> Regroup(const std::vector<Rule>& rules, const RegionState& st,
                                  const std::string& owner) {
  std::vector<IpPermission> perms;
  for (const Rule& r : rules) {
    auto it = std::find_if(perms.begin(), perms.end(), [&](const IpPermission& p) {
      return p.ip_protocol == r.protocol && p.from_port == r.from && p.to_port == r.to;
    });
    if (it == perms.end()) {
      perms.push_back(IpPermission{r.protocol, r.from, r.to, {}, {}});
      it = perms.end() - 1;
    }
    if (!r.cidr.empty()) {
      it->ip_ranges.push_back(IpRange{r.cidr, r.description});
    } else {
      auto g = st.groups.find(r.group_id);
      it->groups.push_back(UserIdGroupPair{
          r.group_id, g == st.groups.end() ? std::string() : g->second.group.group_name, owner});
    }
  }
  return perms;
}

std::string RuleText(const Rule& r) {
  const std::string peer = r.cidr.empty() ? r.group_id : r.cidr;
  std::string proto = r.protocol;
  std::transform(proto.begin(), proto.end(), proto.begin(), ::toupper);
  return fmt::format("peer: {}, {}, from port: {}, to port: {}, ALLOW", peer, proto,
                     r.from ? std::to_string(*r.from) : "-1", r.to ? std::to_string(*r.to) : "-1");
}

// Validates the requested rules and resolves group names in peers to ids.
Result<std::vector<Rule>> RequestedRules(const SecurityGroupRulesRequest& req,
                                         const RegionState& st, const std::string& vpc_id) {
  if (req.permissions.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter IpPermissions",
                "MissingParameter");
  }
  std::vector<IpPermission> resolved = req.permissions;
  for (auto& p : resolved) {
    std::string proto = p.ip_protocol;
    std::transform(proto.begin(), proto.end(), proto.begin(), ::tolower);
    if (proto == "6") {
      proto = "tcp";
    } else if (proto == "17") {
      proto = "udp";
    } else if (proto == "1") {
      proto = "icmp";
    } else if (proto == "all") {
      proto = "-1";
    }
    if (proto != "tcp" && proto != "udp" && proto != "icmp" && proto != "-1") {
      return Fail(ErrorCode::kInvalidArgument,
                  "Invalid value '" + p.ip_protocol + "' for IP protocol. Unknown protocol.",
                  "InvalidParameterValue");
    }
    p.ip_protocol = proto;
    if (proto == "-1") {
      p.from_port.reset();
      p.to_port.reset();
    } else if (proto == "tcp" || proto == "udp") {
      if (!p.from_port || !p.to_port || *p.from_port < 0 || *p.to_port > 65535 ||
          *p.from_port > *p.to_port) {
        return Fail(ErrorCode::kInvalidArgument,
                    "Invalid port range for protocol " + proto +
                        ": FromPort and ToPort must be 0..65535 with FromPort <= ToPort",
                    "InvalidParameterValue");
      }
    }
    if (p.ip_ranges.empty() && p.groups.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "Each permission needs at least one IP range or source group",
                  "MissingParameter");
    }
    for (const auto& r : p.ip_ranges) {
      auto cidr = ParseCidr(r.cidr_ip);
      if (!cidr) {
        return Fail(ErrorCode::kInvalidArgument, "CIDR block " + r.cidr_ip + " is malformed",
                    "InvalidParameterValue");
      }
    }
    for (auto& g : p.groups) {
      if (g.group_id.empty()) {
        auto it = std::find_if(st.groups.begin(), st.groups.end(), [&](const auto& kv) {
          return kv.second.group.vpc_id == vpc_id && kv.second.group.group_name == g.group_name;
        });
        if (it == st.groups.end()) {
          return Fail(ErrorCode::kNotFound,
                      "The security group '" + g.group_name + "' does not exist",
                      "InvalidGroup.NotFound");
        }
        g.group_id = it->first;
      } else if (st.groups.count(g.group_id) == 0) {
        return IdsNotFound("security-group", {g.group_id});
      }
    }
  }
  return Flatten(resolved);
}

}  // namespace

Result<Vpc> SimRegion::CreateVpc(const CreateVpcRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("CreateVpc"));
  if (req.cidr_block.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter CidrBlock",
                "MissingParameter");
  }
  auto cidr = BlockCidr(req.cidr_block, "cidrBlock");
  EC2M_RETURN_IF_ERROR(cidr);
  if (!req.instance_tenancy.empty() && req.instance_tenancy != "default" &&
      req.instance_tenancy != "dedicated") {
    return Fail(ErrorCode::kInvalidArgument,
                "Value (" + req.instance_tenancy + ") for parameter instanceTenancy is invalid.",
                "InvalidParameterValue");
  }
  auto tags = TagsFromSpecs(req.tag_specifications, "vpc", {});
  EC2M_RETURN_IF_ERROR(tags);
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::lock_guard lock(mu_);
  VpcRecord vpc;
  vpc.vpc.vpc_id = NewId("vpc");
  vpc.vpc.cidr_block = cidr->ToString();
  vpc.vpc.instance_tenancy = req.instance_tenancy.empty() ? "default" : req.instance_tenancy;
  vpc.vpc.owner_id = config_.account_id;
  vpc.vpc.tags = *tags;
  // EC2 gives every VPC a default security group.
  GroupRecord group;
  group.group.group_id = NewId("sg");
  group.group.group_name = "default";
  group.group.description = "default VPC security group";
  group.group.vpc_id = vpc.vpc.vpc_id;
  group.group.owner_id = config_.account_id;
  group.group.ingress.push_back(
      IpPermission{"-1",
                   std::nullopt,
                   std::nullopt,
                   {},
                   {UserIdGroupPair{group.group.group_id, "default", config_.account_id}}});
  group.group.egress.push_back(
      IpPermission{"-1", std::nullopt, std::nullopt, {IpRange{"0.0.0.0/0", ""}}, {}});
  const SimRecord records[] = {Encode(vpc), Encode(group)};
  EC2M_RETURN_IF_ERROR(Persist(records));
  state_->groups.emplace(group.group.group_id, std::move(group));
  auto [it, inserted] = state_->vpcs.emplace(vpc.vpc.vpc_id, std::move(vpc));
  Vpc out = it->second.vpc;
  out.owner_id = config_.account_id;
  out.state = "pending";  // CreateVpc answers pending; describe shows available
  return out;
}

Result<Page<Vpc>> SimRegion::DescribeVpcs(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeVpcs"));
  std::lock_guard lock(mu_);
  return DescribeFromMap<Vpc>(
      state_->vpcs, req, "vpc",
      [&](const std::string&, const VpcRecord& rec) {
        Vpc v = rec.vpc;
        v.owner_id = config_.account_id;
        return v;
      },
      VpcValues);
}

Result<void> SimRegion::DeleteVpc(const DeleteRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DeleteVpc"));
  std::lock_guard lock(mu_);
  auto it = state_->vpcs.find(req.id);
  if (it == state_->vpcs.end()) {
    return IdsNotFound("vpc", {req.id});
  }
  std::vector<SimKey> deletes{{std::string(kKindVpc), req.id}};
  for (const auto& [sid, s] : state_->subnets) {
    if (s.subnet.vpc_id == req.id) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The vpc '" + req.id + "' has dependencies and cannot be deleted.",
                  "DependencyViolation");
    }
  }
  for (const auto& [gid, g] : state_->groups) {
    if (g.group.vpc_id != req.id) {
      continue;
    }
    if (g.group.group_name != "default") {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The vpc '" + req.id + "' has dependencies and cannot be deleted.",
                  "DependencyViolation");
    }
    deletes.push_back({std::string(kKindGroup), gid});
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  EC2M_RETURN_IF_ERROR(Persist({}, deletes));
  for (const auto& key : deletes) {
    state_->groups.erase(key.id);
  }
  state_->vpcs.erase(it);
  return {};
}

Result<Subnet> SimRegion::CreateSubnet(const CreateSubnetRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("CreateSubnet"));
  if (req.vpc_id.empty() || req.cidr_block.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("The request must contain the parameter ") +
                    (req.vpc_id.empty() ? "VpcId" : "CidrBlock"),
                "MissingParameter");
  }
  auto cidr = BlockCidr(req.cidr_block, "cidrBlock (subnet)");
  EC2M_RETURN_IF_ERROR(cidr);
  auto tags = TagsFromSpecs(req.tag_specifications, "subnet", {});
  EC2M_RETURN_IF_ERROR(tags);
  const auto zones = ZonesOf(config_.region);
  const AvailabilityZone* zone = &zones.front();
  if (!req.availability_zone.empty() || !req.availability_zone_id.empty()) {
    auto z = std::find_if(zones.begin(), zones.end(), [&](const AvailabilityZone& az) {
      return req.availability_zone.empty() ? az.zone_id == req.availability_zone_id
                                           : az.zone_name == req.availability_zone;
    });
    if (z == zones.end()) {
      std::string names;
      for (const auto& az : zones) {
        names += names.empty() ? az.zone_name : ", " + az.zone_name;
      }
      return Fail(
          ErrorCode::kInvalidArgument,
          "Value (" +
              (req.availability_zone.empty() ? req.availability_zone_id : req.availability_zone) +
              ") for parameter availabilityZone is invalid. Subnets can currently only be "
              "created in the following availability zones: " +
              names + ".",
          "InvalidParameterValue");
    }
    zone = &*z;
  }
  std::lock_guard lock(mu_);
  auto vpc = state_->vpcs.find(req.vpc_id);
  if (vpc == state_->vpcs.end()) {
    return IdsNotFound("vpc", {req.vpc_id});
  }
  if (!ParseCidr(vpc->second.vpc.cidr_block)->Contains(*cidr)) {
    return Fail(ErrorCode::kInvalidArgument,
                "The CIDR '" + req.cidr_block + "' is invalid: it is not within the VPC's CIDR " +
                    vpc->second.vpc.cidr_block + ".",
                "InvalidSubnet.Range");
  }
  for (const auto& [sid, s] : state_->subnets) {
    if (s.subnet.vpc_id == req.vpc_id && s.cidr.Overlaps(*cidr)) {
      return Fail(ErrorCode::kAlreadyExists,
                  "The CIDR '" + req.cidr_block + "' conflicts with another subnet (" + sid + ", " +
                      s.subnet.cidr_block + ").",
                  "InvalidSubnet.Conflict");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  SubnetRecord rec;
  rec.subnet.subnet_id = NewId("subnet");
  rec.subnet.vpc_id = req.vpc_id;
  rec.cidr = *cidr;
  rec.subnet.cidr_block = cidr->ToString();
  rec.subnet.availability_zone = zone->zone_name;
  rec.subnet.availability_zone_id = zone->zone_id;
  rec.subnet.tags = *tags;
  rec.used.assign(cidr->Size(), false);
  const SimRecord record = Encode(rec);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  auto [it, inserted] = state_->subnets.emplace(rec.subnet.subnet_id, std::move(rec));
  Subnet out = it->second.subnet;
  out.owner_id = config_.account_id;
  out.available_ip_address_count = static_cast<int64_t>(it->second.cidr.Size()) - 5;
  out.subnet_arn =
      fmt::format("arn:aws:ec2:{}:{}:subnet/{}", config_.region, config_.account_id, out.subnet_id);
  return out;
}

Result<Page<Subnet>> SimRegion::DescribeSubnets(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeSubnets"));
  std::lock_guard lock(mu_);
  return DescribeFromMap<Subnet>(
      state_->subnets, req, "subnet",
      [&](const std::string& id, const SubnetRecord& rec) {
        Subnet s = rec.subnet;
        s.owner_id = config_.account_id;
        s.subnet_arn =
            fmt::format("arn:aws:ec2:{}:{}:subnet/{}", config_.region, config_.account_id, id);
        const auto used = static_cast<int64_t>(std::count(rec.used.begin(), rec.used.end(), true));
        s.available_ip_address_count = static_cast<int64_t>(rec.cidr.Size()) - 5 - used;
        return s;
      },
      SubnetValues);
}

Result<void> SimRegion::DeleteSubnet(const DeleteRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DeleteSubnet"));
  std::lock_guard lock(mu_);
  auto it = state_->subnets.find(req.id);
  if (it == state_->subnets.end()) {
    return IdsNotFound("subnet", {req.id});
  }
  const int64_t now = NowMs();
  for (const auto& [seq, inst] : state_->instances) {
    if (inst.subnet_id == req.id && EffectiveState(inst, now) != InstanceState::kTerminated) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "The subnet '" + req.id + "' has dependencies and cannot be deleted.",
                  "DependencyViolation");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  const SimKey key{std::string(kKindSubnet), req.id};
  EC2M_RETURN_IF_ERROR(Persist({}, {&key, 1}));
  state_->subnets.erase(it);
  return {};
}

Result<SecurityGroup> SimRegion::CreateSecurityGroup(const CreateSecurityGroupRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("CreateSecurityGroup"));
  if (req.group_name.empty() || req.description.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("The request must contain the parameter ") +
                    (req.group_name.empty() ? "GroupName" : "GroupDescription"),
                "MissingParameter");
  }
  if (req.group_name.starts_with("sg-") || req.group_name.size() > 255) {
    return Fail(ErrorCode::kInvalidArgument,
                "Group names may not be in the format sg-* and are at most 255 characters: '" +
                    req.group_name + "'",
                "InvalidParameterValue");
  }
  auto tags = TagsFromSpecs(req.tag_specifications, "security-group", {});
  EC2M_RETURN_IF_ERROR(tags);
  std::lock_guard lock(mu_);
  std::string vpc_id = req.vpc_id;
  if (vpc_id.empty()) {
    for (const auto& [id, v] : state_->vpcs) {
      if (v.vpc.is_default) {
        vpc_id = id;
      }
    }
  }
  if (state_->vpcs.count(vpc_id) == 0) {
    return IdsNotFound("vpc", {vpc_id.empty() ? std::string("(default)") : vpc_id});
  }
  for (const auto& [gid, g] : state_->groups) {
    if (g.group.vpc_id == vpc_id && g.group.group_name == req.group_name) {
      return Fail(
          ErrorCode::kAlreadyExists,
          "The security group '" + req.group_name + "' already exists for VPC '" + vpc_id + "'",
          "InvalidGroup.Duplicate");
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  GroupRecord rec;
  rec.group.group_id = NewId("sg");
  rec.group.group_name = req.group_name;
  rec.group.description = req.description;
  rec.group.vpc_id = vpc_id;
  rec.group.tags = *tags;
  rec.group.egress.push_back(
      IpPermission{"-1", std::nullopt, std::nullopt, {IpRange{"0.0.0.0/0", ""}}, {}});
  const SimRecord record = Encode(rec);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  auto [it, inserted] = state_->groups.emplace(rec.group.group_id, std::move(rec));
  SecurityGroup out = it->second.group;
  out.owner_id = config_.account_id;
  return out;
}

Result<Page<SecurityGroup>> SimRegion::DescribeSecurityGroups(const DescribeRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DescribeSecurityGroups"));
  std::lock_guard lock(mu_);
  return DescribeFromMap<SecurityGroup>(
      state_->groups, req, "security-group",
      [&](const std::string&, const GroupRecord& rec) {
        SecurityGroup g = rec.group;
        g.owner_id = config_.account_id;
        for (auto* perms : {&g.ingress, &g.egress}) {
          for (auto& p : *perms) {
            for (auto& pair : p.groups) {
              auto peer = state_->groups.find(pair.group_id);
              pair.group_name = peer == state_->groups.end() ? "" : peer->second.group.group_name;
              pair.user_id = config_.account_id;
            }
          }
        }
        return g;
      },
      GroupValues);
}

namespace {

// The group a rules request names, by id or (default VPC) by name.
Result<GroupRecord*> TargetGroup(RegionState& st, const std::string& group_id,
                                 const std::string& group_name) {
  if (!group_id.empty()) {
    auto it = st.groups.find(group_id);
    if (it == st.groups.end()) {
      return IdsNotFound("security-group", {group_id});
    }
    return &it->second;
  }
  if (group_name.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter GroupId",
                "MissingParameter");
  }
  for (auto& [gid, g] : st.groups) {
    auto vpc = st.vpcs.find(g.group.vpc_id);
    if (g.group.group_name == group_name && vpc != st.vpcs.end() && vpc->second.vpc.is_default) {
      return &g;
    }
  }
  return Fail(ErrorCode::kNotFound,
              "The security group '" + group_name + "' does not exist in default VPC",
              "InvalidGroup.NotFound");
}

}  // namespace

Result<void> SimRegion::AuthorizeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("AuthorizeSecurityGroupIngress"));
  return ChangeIngress(req, IngressChange::kAuthorize);
}

Result<void> SimRegion::RevokeSecurityGroupIngress(const SecurityGroupRulesRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("RevokeSecurityGroupIngress"));
  return ChangeIngress(req, IngressChange::kRevoke);
}

Result<void> SimRegion::ChangeIngress(const SecurityGroupRulesRequest& req, IngressChange change) {
  std::lock_guard lock(mu_);
  auto target = TargetGroup(*state_, req.group_id, req.group_name);
  EC2M_RETURN_IF_ERROR(target);
  GroupRecord next = **target;
  auto requested = RequestedRules(req, *state_, next.group.vpc_id);
  EC2M_RETURN_IF_ERROR(requested);
  std::vector<Rule> rules = Flatten(next.group.ingress);
  for (const Rule& r : *requested) {
    auto same =
        std::find_if(rules.begin(), rules.end(), [&](const Rule& x) { return x.SamePeer(r); });
    if (change == IngressChange::kAuthorize) {
      if (same != rules.end()) {
        return Fail(ErrorCode::kAlreadyExists,
                    "the specified rule \"" + RuleText(r) + "\" already exists",
                    "InvalidPermission.Duplicate");
      }
      rules.push_back(r);
    } else {
      if (same == rules.end()) {
        return Fail(ErrorCode::kNotFound,
                    "The specified rule does not exist in this security group: " + RuleText(r),
                    "InvalidPermission.NotFound");
      }
      rules.erase(same);
    }
  }
  if (rules.size() > 60) {
    return Fail(ErrorCode::kInvalidArgument,
                "The maximum number of rules per security group (60) has been reached.",
                "RulesPerSecurityGroupLimitExceeded");
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  next.group.ingress = Regroup(rules, *state_, config_.account_id);
  const SimRecord record = Encode(next);
  EC2M_RETURN_IF_ERROR(Persist({&record, 1}));
  **target = std::move(next);
  return {};
}

Result<void> SimRegion::DeleteSecurityGroup(const DeleteSecurityGroupRequest& req) {
  EC2M_RETURN_IF_ERROR(InjectFault("DeleteSecurityGroup"));
  std::lock_guard lock(mu_);
  auto target = TargetGroup(*state_, req.group_id, req.group_name);
  EC2M_RETURN_IF_ERROR(target);
  const SecurityGroup& group = (*target)->group;
  if (group.group_name == "default") {
    return Fail(ErrorCode::kFailedPrecondition,
                "the specified group: \"" + group.group_id +
                    "\" name: \"default\" cannot be "
                    "deleted by a user",
                "CannotDelete");
  }
  const int64_t now = NowMs();
  for (const auto& [seq, inst] : state_->instances) {
    if (EffectiveState(inst, now) != InstanceState::kTerminated &&
        std::find(inst.group_ids.begin(), inst.group_ids.end(), group.group_id) !=
            inst.group_ids.end()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "resource " + group.group_id + " has a dependent object (instance " +
                      inst.instance_id + ")",
                  "DependencyViolation");
    }
  }
  for (const auto& [gid, g] : state_->groups) {
    if (gid == group.group_id) {
      continue;
    }
    for (const Rule& r : Flatten(g.group.ingress)) {
      if (r.group_id == group.group_id) {
        return Fail(
            ErrorCode::kFailedPrecondition,
            "resource " + group.group_id + " has a dependent object (a rule of " + gid + ")",
            "DependencyViolation");
      }
    }
  }
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  const SimKey key{std::string(kKindGroup), group.group_id};
  EC2M_RETURN_IF_ERROR(Persist({}, {&key, 1}));
  state_->groups.erase(key.id);
  return {};
}

}  // namespace ec2m::sim
