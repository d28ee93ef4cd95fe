#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ec2_types.hpp"

namespace ec2m::sim {

// The fixed catalogs of the simulated region: instance types with on-demand prices (us-west-2,
// Linux), public images, availability zones and regions. Immutable; safe from any thread.

const std::vector<InstanceTypeInfo>& InstanceTypeCatalog();
const InstanceTypeInfo* FindInstanceType(std::string_view name);

// Public images owned by "amazon" (owner id 137112412989), including the documentation's
// example id ami-0abcdef1234567890.
const std::vector<Image>& ImageCatalog();
const Image* FindImage(std::string_view image_id);

// The root volume an image launches with, as its block device mapping gives it: made from the
// image's snapshot ("snap-" and the image id's hex), 30 GiB for Windows images and 8 GiB
// otherwise, gp3, deleted on termination. The volume id and status are left empty.
struct ImageRootVolume {
  std::string snapshot_id;
  EbsBlockDevice ebs;
};
ImageRootVolume RootVolumeOf(const Image& image);

// The zones of `region`: "<region>a".."<region>d", ids "<abbrev>-az1".."-az4".
std::vector<AvailabilityZone> ZonesOf(std::string_view region);
const std::vector<Region>& RegionCatalog();
bool IsKnownRegion(std::string_view region);

inline constexpr std::string_view kAmazonOwnerId = "137112412989";

}  // namespace ec2m::sim
