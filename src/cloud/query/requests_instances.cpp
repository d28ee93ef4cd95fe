// Request parsers for the instance operations.

#include <array>

#include "cloud/query/request_fields.hpp"
#include "cloud/query/requests.hpp"

namespace ec2m::query {

using internal::DescribeShape;

namespace {

constexpr size_t kMaxClientTokenLength = 64;

// InstanceAttributeName in the model.
constexpr std::array<std::string_view, 16> kInstanceAttributes = {
    "instanceType",
    "kernel",
    "ramdisk",
    "userData",
    "disableApiTermination",
    "instanceInitiatedShutdownBehavior",
    "rootDeviceName",
    "blockDeviceMapping",
    "productCodes",
    "sourceDestCheck",
    "groupSet",
    "ebsOptimized",
    "sriovNetSupport",
    "enaSupport",
    "enclaveOptions",
    "disableApiStop",
};

bool IsInstanceAttribute(std::string_view name) {
  for (std::string_view a : kInstanceAttributes) {
    if (a == name) {
      return true;
    }
  }
  return false;
}

Result<InstanceIdsRequest> ParseIdsRequest(const Params& p) {
  InstanceIdsRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.instance_ids, internal::ParseInstanceIds(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<void> ParseRunInstanceFlags(const Params& p, RunInstancesRequest& req) {
  EC2M_QUERY_ASSIGN_OR_RETURN(req.disable_api_termination,
                              p.GetBool("DisableApiTermination", false));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.disable_api_stop, p.GetBool("DisableApiStop", false));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.monitoring_enabled, p.GetBool("Monitoring.Enabled", false));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.ebs_optimized, p.GetBool("EbsOptimized", false));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return {};
}

// BlockDeviceMapping.N: EBS volumes only. What ec2m does not model but would change the volume
// made (a snapshot, no device, an instance store) is refused rather than ignored.
Result<std::vector<BlockDeviceMapping>> ParseBlockDeviceMappings(const Params& p) {
  std::vector<BlockDeviceMapping> mappings;
  for (int n : p.Indices("BlockDeviceMapping")) {
    const std::string item = ItemKey("BlockDeviceMapping", n);
    for (const char* unmodeled : {".NoDevice", ".VirtualName", ".Ebs.SnapshotId"}) {
      if (p.Has(item + unmodeled)) {
        return internal::Unsupported("BlockDeviceMapping.N" + std::string(unmodeled));
      }
    }
    BlockDeviceMapping m;
    EC2M_QUERY_ASSIGN_OR_RETURN(m.device_name, p.GetRequired(item + ".DeviceName"));
    EC2M_QUERY_ASSIGN_OR_RETURN(const std::optional<int> size,
                                p.GetInt(item + ".Ebs.VolumeSize", 1));
    m.ebs.volume_size_gb = size.value_or(0);
    m.ebs.volume_type = p.Get(item + ".Ebs.VolumeType");
    EC2M_QUERY_ASSIGN_OR_RETURN(m.ebs.encrypted, p.GetBool(item + ".Ebs.Encrypted", false));
    EC2M_QUERY_ASSIGN_OR_RETURN(m.ebs.delete_on_termination,
                                p.GetBool(item + ".Ebs.DeleteOnTermination", true));
    mappings.push_back(std::move(m));
  }
  return mappings;
}

// One attribute named by the structured form (`DisableApiTermination.Value`) or the legacy one.
struct AttributeSetting {
  std::string_view name;  // lowerCamel, as the legacy Attribute parameter spells it
  std::string value;
  std::string param;  // the wire name the value came from, for error messages
};

// The attributes a ModifyInstanceAttribute request sets, in either form.
Result<std::vector<AttributeSetting>> CollectAttributeSettings(const Params& p) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kStructured = {{
      {"DisableApiTermination", "disableApiTermination"},
      {"DisableApiStop", "disableApiStop"},
      {"InstanceType", "instanceType"},
      {"UserData", "userData"},
      {"SourceDestCheck", "sourceDestCheck"},
      {"EbsOptimized", "ebsOptimized"},
      {"EnaSupport", "enaSupport"},
      {"InstanceInitiatedShutdownBehavior", "instanceInitiatedShutdownBehavior"},
      {"Kernel", "kernel"},
      {"Ramdisk", "ramdisk"},
      {"SriovNetSupport", "sriovNetSupport"},
  }};
  std::vector<AttributeSetting> settings;
  for (const auto& [wire, name] : kStructured) {
    const std::string param = std::string(wire) + ".Value";
    if (const std::string* v = p.Find(param)) {
      settings.push_back({name, *v, param});
    }
  }
  if (!p.Indices("GroupId").empty()) {
    settings.push_back({"groupSet", "", "GroupId"});
  }
  if (!p.Indices("BlockDeviceMapping").empty()) {
    settings.push_back({"blockDeviceMapping", "", "BlockDeviceMapping"});
  }
  const std::string* attribute = p.Find("Attribute");
  const std::string* value = p.Find("Value");
  if (attribute) {
    if (!IsInstanceAttribute(*attribute)) {
      return InvalidValue("Attribute", *attribute, "not an instance attribute");
    }
    if (!value) {
      return MissingParameter("Value");
    }
    for (std::string_view a : kInstanceAttributes) {
      if (a == *attribute) {
        settings.push_back({a, *value, "Value"});
      }
    }
  } else if (value) {
    return MissingParameter("Attribute");
  }
  return settings;
}

Result<void> ApplyAttribute(const AttributeSetting& s, ModifyInstanceAttributeRequest& req) {
  if (s.name == "disableApiTermination" || s.name == "disableApiStop") {
    if (s.value != "true" && s.value != "false") {
      return InvalidValue(s.param, s.value, "expected 'true' or 'false'");
    }
    (s.name == "disableApiStop" ? req.disable_api_stop : req.disable_api_termination) =
        s.value == "true";
    return {};
  }
  if (s.name == "instanceType") {
    if (s.value.empty()) {
      return InvalidValue(s.param, s.value, "expected an instance type");
    }
    req.instance_type = s.value;
    return {};
  }
  if (s.name == "userData") {
    EC2M_RETURN_IF_ERROR(internal::ValidateBase64(s.param, s.value));
    req.user_data = s.value;
    return {};
  }
  return internal::Unsupported("Modifying the instance attribute " + std::string(s.name));
}

}  // namespace

Result<RunInstancesRequest> ParseRunInstances(const Params& p) {
  RunInstancesRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.image_id, p.GetRequired("ImageId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kImage, req.image_id));
  EC2M_QUERY_ASSIGN_OR_RETURN(auto min_count, p.GetInt("MinCount", 1));
  EC2M_QUERY_ASSIGN_OR_RETURN(auto max_count, p.GetInt("MaxCount", 1));
  if (!min_count) {
    return MissingParameter("MinCount");
  }
  if (!max_count) {
    return MissingParameter("MaxCount");
  }
  req.min_count = *min_count;
  req.max_count = *max_count;
  req.instance_type = p.Get("InstanceType");
  req.key_name = p.Get("KeyName");
  req.subnet_id = p.Get("SubnetId");
  if (p.Has("SubnetId")) {
    EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kSubnet, req.subnet_id));
  }
  req.availability_zone = p.Get("Placement.AvailabilityZone");
  req.private_ip_address = p.Get("PrivateIpAddress");
  req.client_token = p.Get("ClientToken");
  if (req.client_token.size() > kMaxClientTokenLength) {
    return InvalidValue("ClientToken", req.client_token, "at most 64 characters");
  }
  req.user_data = p.Get("UserData");
  EC2M_RETURN_IF_ERROR(internal::ValidateBase64("UserData", req.user_data));
  req.security_group_ids = p.GetList("SecurityGroupId");
  EC2M_RETURN_IF_ERROR(ValidateIds(IdKind::kSecurityGroup, req.security_group_ids));
  req.security_group_names = p.GetList("SecurityGroup");
  EC2M_QUERY_ASSIGN_OR_RETURN(req.tag_specifications, internal::ParseTagSpecifications(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.block_device_mappings, ParseBlockDeviceMappings(p));
  EC2M_RETURN_IF_ERROR(ParseRunInstanceFlags(p, req));
  return req;
}

Result<DescribeRequest> ParseDescribeInstances(const Params& p) {
  return internal::ParseDescribe(p, DescribeShape{"InstanceId", IdKind::kInstance});
}

Result<DescribeInstanceStatusRequest> ParseDescribeInstanceStatus(const Params& p) {
  DescribeInstanceStatusRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(
      req.base, internal::ParseDescribe(p, DescribeShape{"InstanceId", IdKind::kInstance}));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.include_all_instances, p.GetBool("IncludeAllInstances", false));
  return req;
}

Result<InstanceIdsRequest> ParseStartInstances(const Params& p) { return ParseIdsRequest(p); }

Result<InstanceIdsRequest> ParseStopInstances(const Params& p) {
  EC2M_QUERY_ASSIGN_OR_RETURN(InstanceIdsRequest req, ParseIdsRequest(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.force, p.GetBool("Force", false));
  EC2M_RETURN_IF_ERROR(p.GetBool("Hibernate"));  // validated; the sim has no hibernation
  return req;
}

Result<InstanceIdsRequest> ParseRebootInstances(const Params& p) { return ParseIdsRequest(p); }

Result<InstanceIdsRequest> ParseTerminateInstances(const Params& p) { return ParseIdsRequest(p); }

Result<InstanceIdsRequest> ParseMonitorInstances(const Params& p) { return ParseIdsRequest(p); }

Result<InstanceIdsRequest> ParseUnmonitorInstances(const Params& p) { return ParseIdsRequest(p); }

Result<ModifyInstanceAttributeRequest> ParseModifyInstanceAttribute(const Params& p) {
  ModifyInstanceAttributeRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.instance_id, p.GetRequired("InstanceId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kInstance, req.instance_id));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  EC2M_QUERY_ASSIGN_OR_RETURN(const std::vector<AttributeSetting> settings,
                              CollectAttributeSettings(p));
  if (settings.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "No attribute to modify was specified",
                "InvalidParameterCombination");
  }
  if (settings.size() > 1) {
    std::string names;
    for (const AttributeSetting& s : settings) {
      names += names.empty() ? "" : ", ";
      names += s.name;
    }
    return Fail(ErrorCode::kInvalidArgument,
                "Fields for multiple attribute types specified: " + names,
                "InvalidParameterCombination");
  }
  EC2M_RETURN_IF_ERROR(ApplyAttribute(settings.front(), req));
  return req;
}

Result<DescribeInstanceAttributeRequest> ParseDescribeInstanceAttribute(const Params& p) {
  DescribeInstanceAttributeRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.instance_id, p.GetRequired("InstanceId"));
  EC2M_RETURN_IF_ERROR(ValidateId(IdKind::kInstance, req.instance_id));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.attribute, p.GetRequired("Attribute"));
  if (!IsInstanceAttribute(req.attribute)) {
    return InvalidValue("Attribute", req.attribute, "not an instance attribute");
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

}  // namespace ec2m::query
