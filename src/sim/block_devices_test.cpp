#include "sim/block_devices.hpp"

#include <gtest/gtest.h>

#include "sim/catalog.hpp"

namespace ec2m::sim {
namespace {

constexpr const char* kLinux = "ami-0abcdef1234567890";    // root /dev/xvda, 8 GiB
constexpr const char* kWindows = "ami-0cc33dd44ee55ff66";  // root /dev/sda1, 30 GiB

BlockDeviceMapping Mapping(std::string device, int size, std::string type = "",
                           bool encrypted = false, bool delete_on_termination = true) {
  return BlockDeviceMapping{std::move(device), EbsBlockDevice{size, std::move(type), encrypted,
                                                              delete_on_termination, "", ""}};
}

Result<std::vector<BlockDeviceMapping>> Resolve(const std::vector<BlockDeviceMapping>& requested,
                                                const char* image_id = kLinux) {
  const Image* image = FindImage(image_id);
  EXPECT_NE(image, nullptr);
  return ResolveBlockDevices(requested, *image);
}

TEST(BlockDevicesTest, NoMappingsGiveTheImagesRootVolume) {
  auto linux_root = Resolve({});
  ASSERT_TRUE(linux_root.has_value()) << linux_root.error().ToString();
  ASSERT_EQ(linux_root->size(), 1u);
  EXPECT_EQ((*linux_root)[0], Mapping("/dev/xvda", 8, "gp3"));
  EXPECT_TRUE((*linux_root)[0].ebs.volume_id.empty());
  auto windows_root = Resolve({}, kWindows);
  ASSERT_TRUE(windows_root.has_value());
  EXPECT_EQ((*windows_root)[0], Mapping("/dev/sda1", 30, "gp3"));
}

TEST(BlockDevicesTest, RootMappingChangesTheRootVolumeAndOthersAreNew) {
  auto devices = Resolve({Mapping("/dev/sdf", 500, "st1", true, false),
                          Mapping("/dev/xvda", 20, "gp3", true), Mapping("xvdg", 5)});
  ASSERT_TRUE(devices.has_value()) << devices.error().ToString();
  ASSERT_EQ(devices->size(), 3u);
  EXPECT_EQ((*devices)[0], Mapping("/dev/xvda", 20, "gp3", true));  // root first
  EXPECT_EQ((*devices)[1], Mapping("/dev/sdf", 500, "st1", true, false));
  EXPECT_EQ((*devices)[2], Mapping("xvdg", 5, "gp2"));  // no type: gp2
  // "xvda" names the root device too; a size left out keeps the image's.
  auto root = Resolve({Mapping("xvda", 0, "io2", false, false)});
  ASSERT_TRUE(root.has_value()) << root.error().ToString();
  EXPECT_EQ((*root)[0], Mapping("xvda", 8, "io2", false, false));
}

struct ErrorCase {
  std::vector<BlockDeviceMapping> requested;
  const char* aws_code;
  const char* message;
};

TEST(BlockDevicesTest, ErrorsAsEc2) {
  const ErrorCase cases[] = {
      {{Mapping("/dev/xvda", 20, "gp5")},
       "InvalidParameterValue",
       "Value (gp5) for parameter volumeType is invalid. Valid volume types: standard, io1, io2, "
       "gp2, sc1, st1, gp3"},
      {{Mapping("/dev/sdf", 2000, "standard")},
       "InvalidParameterValue",
       "Volume of 2000GiB is too large for volume type standard; maximum is 1024GiB"},
      {{Mapping("/dev/sdf", 16385, "gp3")},
       "InvalidParameterValue",
       "Volume of 16385GiB is too large for volume type gp3; maximum is 16384GiB"},
      {{Mapping("/dev/sdf", 100, "st1")},
       "InvalidParameterValue",
       "Volume of 100GiB is too small for volume type st1; minimum is 125GiB"},
      {{Mapping("/dev/sdf", 2, "io1")},
       "InvalidParameterValue",
       "Volume of 2GiB is too small for volume type io1; minimum is 4GiB"},
      {{Mapping("/dev/xvda", 4)},
       "InvalidBlockDeviceMapping",
       "Volume of size 4GB is smaller than  snapshot 'snap-0abcdef1234567890', expect size >= "
       "8GB"},
      {{Mapping("/dev/sdf", 0)},
       "InvalidBlockDeviceMapping",
       "Either snapshot ID or volume size must be provided for: /dev/sdf"},
      {{Mapping("/dev/sdf", 10), Mapping("sdf", 20)},
       "InvalidBlockDeviceMapping",
       "The device 'sdf' is used in more than one block-device mapping"},
      {{Mapping("", 10)}, "MissingParameter", "The request must contain the parameter deviceName"},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.message);
    auto r = Resolve(c.requested);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().aws_code, c.aws_code);
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(BlockDevicesTest, EveryVolumeTypeAtItsLimits) {
  const std::pair<const char*, std::pair<int, int>> limits[] = {
      {"standard", {1, 1024}}, {"io1", {4, 16384}},   {"io2", {4, 65536}}, {"gp2", {1, 16384}},
      {"sc1", {125, 16384}},   {"st1", {125, 16384}}, {"gp3", {1, 16384}},
  };
  for (const auto& [type, range] : limits) {
    SCOPED_TRACE(type);
    EXPECT_TRUE(Resolve({Mapping("/dev/sdf", range.first, type)}).has_value());
    EXPECT_TRUE(Resolve({Mapping("/dev/sdf", range.second, type)}).has_value());
    EXPECT_FALSE(Resolve({Mapping("/dev/sdf", range.second + 1, type)}).has_value());
  }
}

}  // namespace
}  // namespace ec2m::sim
