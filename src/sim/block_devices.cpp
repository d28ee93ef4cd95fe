#include "sim/block_devices.hpp"

#include <array>
#include <set>

#include <fmt/format.h>

#include "sim/catalog.hpp"

namespace ec2m::sim {

namespace {

// A new volume of no given type is EC2's API default type.
constexpr std::string_view kDefaultVolumeType = "gp2";

struct VolumeTypeLimits {
  std::string_view type;
  int min_gb;
  int max_gb;
};

// EC2's size range per volume type, in GiB.
constexpr std::array<VolumeTypeLimits, 7> kVolumeTypes = {{
    {"standard", 1, 1024},
    {"io1", 4, 16384},
    {"io2", 4, 65536},
    {"gp2", 1, 16384},
    {"sc1", 125, 16384},
    {"st1", 125, 16384},
    {"gp3", 1, 16384},
}};

const VolumeTypeLimits* LimitsOf(std::string_view type) {
  for (const VolumeTypeLimits& limits : kVolumeTypes) {
    if (limits.type == type) {
      return &limits;
    }
  }
  return nullptr;
}

Result<void> CheckTypeAndSize(const EbsBlockDevice& ebs) {
  const VolumeTypeLimits* limits = LimitsOf(ebs.volume_type);
  if (limits == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Value ({}) for parameter volumeType is invalid. Valid volume types: "
                            "standard, io1, io2, gp2, sc1, st1, gp3",
                            ebs.volume_type),
                "InvalidParameterValue");
  }
  if (ebs.volume_size_gb > limits->max_gb) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Volume of {}GiB is too large for volume type {}; maximum is {}GiB",
                            ebs.volume_size_gb, ebs.volume_type, limits->max_gb),
                "InvalidParameterValue");
  }
  if (ebs.volume_size_gb < limits->min_gb) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("Volume of {}GiB is too small for volume type {}; minimum is {}GiB",
                            ebs.volume_size_gb, ebs.volume_type, limits->min_gb),
                "InvalidParameterValue");
  }
  return {};
}

// The root volume: the image's, with what the request changes.
Result<BlockDeviceMapping> RootDevice(const BlockDeviceMapping* requested, const Image& image) {
  const ImageRootVolume root = RootVolumeOf(image);
  BlockDeviceMapping m{image.root_device_name, root.ebs};
  if (requested == nullptr) {
    return m;
  }
  m.device_name = requested->device_name;
  const EbsBlockDevice& ebs = requested->ebs;
  if (ebs.volume_size_gb > 0) {
    if (ebs.volume_size_gb < root.ebs.volume_size_gb) {
      // Two spaces before "snapshot", as EC2 writes it.
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("Volume of size {}GB is smaller than  snapshot '{}', expect size "
                              ">= {}GB",
                              ebs.volume_size_gb, root.snapshot_id, root.ebs.volume_size_gb),
                  "InvalidBlockDeviceMapping");
    }
    m.ebs.volume_size_gb = ebs.volume_size_gb;
  }
  if (!ebs.volume_type.empty()) {
    m.ebs.volume_type = ebs.volume_type;
  }
  m.ebs.encrypted = ebs.encrypted;
  m.ebs.delete_on_termination = ebs.delete_on_termination;
  EC2M_RETURN_IF_ERROR(CheckTypeAndSize(m.ebs));
  return m;
}

Result<BlockDeviceMapping> NewVolume(const BlockDeviceMapping& requested) {
  if (requested.ebs.volume_size_gb <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "Either snapshot ID or volume size must be provided for: " + requested.device_name,
                "InvalidBlockDeviceMapping");
  }
  BlockDeviceMapping m{requested.device_name, requested.ebs};
  if (m.ebs.volume_type.empty()) {
    m.ebs.volume_type = std::string(kDefaultVolumeType);
  }
  m.ebs.volume_id.clear();
  m.ebs.status.clear();
  EC2M_RETURN_IF_ERROR(CheckTypeAndSize(m.ebs));
  return m;
}

}  // namespace

std::string_view DeviceKey(std::string_view device_name) {
  constexpr std::string_view kDev = "/dev/";
  return device_name.starts_with(kDev) ? device_name.substr(kDev.size()) : device_name;
}

Result<std::vector<BlockDeviceMapping>> ResolveBlockDevices(
    const std::vector<BlockDeviceMapping>& requested, const Image& image) {
  std::set<std::string_view> devices;
  const BlockDeviceMapping* root_request = nullptr;
  for (const BlockDeviceMapping& m : requested) {
    if (m.device_name.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "The request must contain the parameter deviceName",
                  "MissingParameter");
    }
    if (!devices.insert(DeviceKey(m.device_name)).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("The device '{}' is used in more than one block-device mapping",
                              DeviceKey(m.device_name)),
                  "InvalidBlockDeviceMapping");
    }
    if (DeviceKey(m.device_name) == DeviceKey(image.root_device_name)) {
      root_request = &m;
    }
  }
  std::vector<BlockDeviceMapping> out;
  auto root = RootDevice(root_request, image);
  EC2M_RETURN_IF_ERROR(root);
  out.push_back(std::move(*root));
  for (const BlockDeviceMapping& m : requested) {
    if (&m == root_request) {
      continue;
    }
    auto volume = NewVolume(m);
    EC2M_RETURN_IF_ERROR(volume);
    out.push_back(std::move(*volume));
  }
  return out;
}

}  // namespace ec2m::sim
