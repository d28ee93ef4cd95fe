#include "sim/catalog.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace ec2m::sim {

namespace {

InstanceTypeInfo Type(std::string name, int vcpus, int64_t memory_mib, double price,
                      std::string arch = "x86_64", bool current = true, bool free_tier = false) {
  InstanceTypeInfo t;
  t.instance_type = std::move(name);
  t.vcpus = vcpus;
  t.memory_mib = memory_mib;
  t.on_demand_hourly_usd = price;
  t.architectures = {std::move(arch)};
  t.current_generation = current;
  t.free_tier_eligible = free_tier;
  return t;
}

Image PublicImage(std::string id, std::string name, std::string description,
                  std::string arch = "x86_64", std::string platform = "") {
  Image image;
  image.image_id = std::move(id);
  image.name = std::move(name);
  image.description = std::move(description);
  image.owner_id = std::string(kAmazonOwnerId);
  image.owner_alias = "amazon";
  image.architecture = std::move(arch);
  image.platform = std::move(platform);
  image.image_location = "amazon/" + image.name;
  image.creation_date = "2026-01-15T00:00:00.000Z";
  image.root_device_name = image.platform == "windows" ? "/dev/sda1" : "/dev/xvda";
  return image;
}

}  // namespace

const std::vector<InstanceTypeInfo>& InstanceTypeCatalog() {
  static const std::vector<InstanceTypeInfo> catalog = {
      Type("t2.nano", 1, 512, 0.0058),
      Type("t2.micro", 1, 1024, 0.0116, "x86_64", true, true),
      Type("t2.small", 1, 2048, 0.023),
      Type("t2.medium", 2, 4096, 0.0464),
      Type("t3.nano", 2, 512, 0.0052),
      Type("t3.micro", 2, 1024, 0.0104, "x86_64", true, true),
      Type("t3.small", 2, 2048, 0.0208),
      Type("t3.medium", 2, 4096, 0.0416),
      Type("t3.large", 2, 8192, 0.0832),
      Type("t3.xlarge", 4, 16384, 0.1664),
      Type("t4g.micro", 2, 1024, 0.0084, "arm64"),
      Type("t4g.small", 2, 2048, 0.0168, "arm64"),
      Type("t4g.medium", 2, 4096, 0.0336, "arm64"),
      Type("m1.small", 1, 1740, 0.044, "x86_64", false),
      Type("m5.large", 2, 8192, 0.096),
      Type("m5.xlarge", 4, 16384, 0.192),
      Type("m5.2xlarge", 8, 32768, 0.384),
      Type("m6i.large", 2, 8192, 0.096),
      Type("m6i.xlarge", 4, 16384, 0.192),
      Type("m7g.large", 2, 8192, 0.0816, "arm64"),
      Type("c5.large", 2, 4096, 0.085),
      Type("c5.xlarge", 4, 8192, 0.17),
      Type("c6i.large", 2, 4096, 0.085),
      Type("c7g.large", 2, 4096, 0.0725, "arm64"),
      Type("r5.large", 2, 16384, 0.126),
      Type("r6i.large", 2, 16384, 0.126),
      Type("p4d.24xlarge", 96, 1179648, 32.7726),
  };
  return catalog;
}

const InstanceTypeInfo* FindInstanceType(std::string_view name) {
  const auto& catalog = InstanceTypeCatalog();
  auto it = std::find_if(catalog.begin(), catalog.end(),
                         [&](const InstanceTypeInfo& t) { return t.instance_type == name; });
  return it == catalog.end() ? nullptr : &*it;
}

const std::vector<Image>& ImageCatalog() {
  static const std::vector<Image> catalog = {
      PublicImage("ami-0abcdef1234567890", "ec2m-example-al2023-x86_64",
                  "The documentation's example image (Amazon Linux 2023)"),
      PublicImage("ami-0123456789abcdef0", "al2023-ami-2023.6.20260115.0-kernel-6.1-x86_64",
                  "Amazon Linux 2023 AMI"),
      PublicImage("ami-0fedcba9876543210", "al2023-ami-2023.6.20260115.0-kernel-6.1-arm64",
                  "Amazon Linux 2023 AMI (arm64)", "arm64"),
      PublicImage("ami-0aa11bb22cc33dd44",
                  "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20260115",
                  "Canonical, Ubuntu, 24.04 LTS, amd64"),
      PublicImage("ami-0bb22cc33dd44ee55",
                  "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20260115",
                  "Canonical, Ubuntu, 22.04 LTS, amd64"),
      PublicImage("ami-0cc33dd44ee55ff66", "Windows_Server-2022-English-Full-Base-2026.01.15",
                  "Microsoft Windows Server 2022 Full Locale English AMI", "x86_64", "windows"),
  };
  return catalog;
}

const Image* FindImage(std::string_view image_id) {
  const auto& catalog = ImageCatalog();
  auto it = std::find_if(catalog.begin(), catalog.end(),
                         [&](const Image& i) { return i.image_id == image_id; });
  return it == catalog.end() ? nullptr : &*it;
}

ImageRootVolume RootVolumeOf(const Image& image) {
  ImageRootVolume root;
  root.snapshot_id = "snap-" + image.image_id.substr(image.image_id.find('-') + 1);
  root.ebs.volume_size_gb = image.platform == "windows" ? 30 : 8;
  root.ebs.volume_type = "gp3";
  root.ebs.delete_on_termination = true;
  return root;
}

const std::vector<Region>& RegionCatalog() {
  static const std::vector<Region> catalog = [] {
    std::vector<Region> regions;
    for (const char* name : {"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1",
                             "eu-central-1", "ap-southeast-1", "ap-northeast-1"}) {
      regions.push_back(
          Region{name, fmt::format("ec2.{}.amazonaws.com", name), "opt-in-not-required"});
    }
    return regions;
  }();
  return catalog;
}

bool IsKnownRegion(std::string_view region) {
  const auto& catalog = RegionCatalog();
  return std::any_of(catalog.begin(), catalog.end(),
                     [&](const Region& r) { return r.region_name == region; });
}

std::vector<AvailabilityZone> ZonesOf(std::string_view region) {
  // "us-west-2" -> "usw2", "ap-southeast-1" -> "apse1", as EC2's zone ids.
  static const std::pair<std::string_view, std::string_view> kDirections[] = {
      {"northeast", "ne"}, {"southeast", "se"}, {"northwest", "nw"},
      {"southwest", "sw"}, {"north", "n"},      {"south", "s"},
      {"east", "e"},       {"west", "w"},       {"central", "c"}};
  std::string abbrev;
  size_t start = 0;
  while (start <= region.size()) {
    const size_t dash = std::min(region.find('-', start), region.size());
    std::string_view part = region.substr(start, dash - start);
    for (const auto& [word, letters] : kDirections) {
      if (part == word) {
        part = letters;
        break;
      }
    }
    abbrev += part;
    start = dash + 1;
  }
  std::vector<AvailabilityZone> zones;
  for (int i = 0; i < 4; ++i) {
    AvailabilityZone z;
    z.zone_name = fmt::format("{}{}", region, static_cast<char>('a' + i));
    z.zone_id = fmt::format("{}-az{}", abbrev, i + 1);
    z.region_name = std::string(region);
    z.group_name = std::string(region);
    z.network_border_group = std::string(region);
    zones.push_back(std::move(z));
  }
  return zones;
}

}  // namespace ec2m::sim
