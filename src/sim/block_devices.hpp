#pragma once

// The EBS volumes an instance of the simulated region launches with. Internal to sim/.

#include <string_view>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"

namespace ec2m::sim {

// The block devices an instance launched from `image` gets: the image's root volume (catalog.hpp
// RootVolumeOf), changed by a requested mapping that names the root device, then every other
// requested mapping as a new volume, in request order. A size of 0 or an empty type in a request
// means "not given": the root keeps the image's, a new volume of no type is gp2. Volume ids and
// status are left empty (each instance gets its own). Pure; thread-safe.
//
// Errors, as EC2 answers RunInstances:
//   MissingParameter           a mapping without a device name
//   InvalidBlockDeviceMapping  a device named twice ("/dev/xvdb" and "xvdb" are one device); a new
//                              volume without a size; a root smaller than the image's snapshot
//   InvalidParameterValue      a volume type EC2 does not have; a size outside the type's range
//                              (gp2/gp3 1-16384, io1 4-16384, io2 4-65536, st1/sc1 125-16384,
//                              standard 1-1024 GiB)
Result<std::vector<BlockDeviceMapping>> ResolveBlockDevices(
    const std::vector<BlockDeviceMapping>& requested, const Image& image);

// "/dev/xvda" and "xvda" name one device: the name without "/dev/".
std::string_view DeviceKey(std::string_view device_name);

}  // namespace ec2m::sim
