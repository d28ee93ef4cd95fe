// Request encoders for the instance operations.

#include "cloud/query/client_request_fields.hpp"
#include "cloud/query/client_requests.hpp"

namespace ec2m::query {

using internal::BeginRequest;
using internal::DescribeWire;
using internal::SetIfSet;
using internal::SetIfTrue;

namespace {

Params EncodeIdsRequest(std::string_view action, const InstanceIdsRequest& req) {
  Params p = BeginRequest(action);
  internal::SetList(p, "InstanceId", req.instance_ids);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

void SetOptional(Params& p, std::string_view key, const std::optional<std::string>& value) {
  if (value) {
    p.Set(std::string(key), *value);
  }
}

void SetOptional(Params& p, std::string_view key, const std::optional<bool>& value) {
  if (value) {
    p.Set(std::string(key), *value ? "true" : "false");
  }
}

void SetBlockDeviceMappings(Params& p, const std::vector<BlockDeviceMapping>& mappings) {
  for (size_t i = 0; i < mappings.size(); ++i) {
    const std::string item = ItemKey("BlockDeviceMapping", static_cast<int>(i + 1));
    const EbsBlockDevice& ebs = mappings[i].ebs;
    p.Set(item + ".DeviceName", mappings[i].device_name);
    if (ebs.volume_size_gb > 0) {
      internal::SetInt(p, item + ".Ebs.VolumeSize", ebs.volume_size_gb);
    }
    SetIfSet(p, item + ".Ebs.VolumeType", ebs.volume_type);
    SetIfTrue(p, item + ".Ebs.Encrypted", ebs.encrypted);
    if (!ebs.delete_on_termination) {
      p.Set(item + ".Ebs.DeleteOnTermination", "false");
    }
  }
}

}  // namespace

Params EncodeRunInstances(const RunInstancesRequest& req) {
  Params p = BeginRequest("RunInstances");
  SetIfSet(p, "ImageId", req.image_id);
  internal::SetInt(p, "MinCount", req.min_count);
  internal::SetInt(p, "MaxCount", req.max_count);
  SetIfSet(p, "InstanceType", req.instance_type);
  SetIfSet(p, "KeyName", req.key_name);
  SetIfSet(p, "SubnetId", req.subnet_id);
  SetIfSet(p, "Placement.AvailabilityZone", req.availability_zone);
  SetIfSet(p, "PrivateIpAddress", req.private_ip_address);
  SetIfSet(p, "ClientToken", req.client_token);
  SetIfSet(p, "UserData", req.user_data);
  internal::SetList(p, "SecurityGroupId", req.security_group_ids);
  internal::SetList(p, "SecurityGroup", req.security_group_names);
  internal::SetTagSpecifications(p, req.tag_specifications);
  SetBlockDeviceMappings(p, req.block_device_mappings);
  SetIfTrue(p, "DisableApiTermination", req.disable_api_termination);
  SetIfTrue(p, "DisableApiStop", req.disable_api_stop);
  SetIfTrue(p, "Monitoring.Enabled", req.monitoring_enabled);
  SetIfTrue(p, "EbsOptimized", req.ebs_optimized);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeInstances(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeInstances");
  internal::SetDescribe(p, req, DescribeWire{"InstanceId"});
  return p;
}

Params EncodeDescribeInstanceStatus(const DescribeInstanceStatusRequest& req) {
  Params p = BeginRequest("DescribeInstanceStatus");
  internal::SetDescribe(p, req.base, DescribeWire{"InstanceId"});
  SetIfTrue(p, "IncludeAllInstances", req.include_all_instances);
  return p;
}

Params EncodeStartInstances(const InstanceIdsRequest& req) {
  return EncodeIdsRequest("StartInstances", req);
}

Params EncodeStopInstances(const InstanceIdsRequest& req) {
  Params p = EncodeIdsRequest("StopInstances", req);
  SetIfTrue(p, "Force", req.force);
  return p;
}

Params EncodeRebootInstances(const InstanceIdsRequest& req) {
  return EncodeIdsRequest("RebootInstances", req);
}

Params EncodeTerminateInstances(const InstanceIdsRequest& req) {
  return EncodeIdsRequest("TerminateInstances", req);
}

Params EncodeMonitorInstances(const InstanceIdsRequest& req) {
  return EncodeIdsRequest("MonitorInstances", req);
}

Params EncodeUnmonitorInstances(const InstanceIdsRequest& req) {
  return EncodeIdsRequest("UnmonitorInstances", req);
}

Params EncodeModifyInstanceAttribute(const ModifyInstanceAttributeRequest& req) {
  Params p = BeginRequest("ModifyInstanceAttribute");
  SetIfSet(p, "InstanceId", req.instance_id);
  SetOptional(p, "DisableApiTermination.Value", req.disable_api_termination);
  SetOptional(p, "DisableApiStop.Value", req.disable_api_stop);
  SetOptional(p, "InstanceType.Value", req.instance_type);
  SetOptional(p, "UserData.Value", req.user_data);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeInstanceAttribute(const DescribeInstanceAttributeRequest& req) {
  Params p = BeginRequest("DescribeInstanceAttribute");
  SetIfSet(p, "InstanceId", req.instance_id);
  SetIfSet(p, "Attribute", req.attribute);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

}  // namespace ec2m::query
