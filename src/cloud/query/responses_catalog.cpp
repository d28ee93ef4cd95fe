// Serializers for tags, images, instance types, zones and regions.

#include "cloud/query/response_common.hpp"
#include "cloud/query/responses.hpp"

namespace ec2m::query {

using internal::BeginResponse;
using internal::EndResponse;
using internal::WriteNextToken;
using internal::WriteTagSet;

namespace {

void WriteItems(XmlWriter& w, std::string_view element, const std::vector<std::string>& values) {
  w.Open(element);
  for (const std::string& v : values) {
    w.Text("item", v);
  }
  w.Close(element);
}

void WriteImage(XmlWriter& w, const Image& i) {
  const bool windows = i.platform == "windows";
  w.Open("item");
  w.Text("imageId", i.image_id);
  w.TextIfSet("imageLocation", i.image_location);
  w.Text("imageState", i.state);
  w.Text("imageOwnerId", i.owner_id);
  w.TextIfSet("creationDate", i.creation_date);
  w.Bool("isPublic", i.is_public);
  w.Text("architecture", i.architecture);
  w.Text("imageType", i.image_type);
  w.TextIfSet("platform", i.platform);
  w.Text("platformDetails", windows ? "Windows" : "Linux/UNIX");
  w.Text("usageOperation", windows ? "RunInstances:0002" : "RunInstances");
  w.TextIfSet("imageOwnerAlias", i.owner_alias);
  w.Text("name", i.name);
  w.TextIfSet("description", i.description);
  w.Text("rootDeviceType", i.root_device_type);
  w.Text("rootDeviceName", i.root_device_name);
  w.Text("virtualizationType", i.virtualization_type);
  WriteTagSet(w, i.tags);
  w.Text("hypervisor", i.hypervisor);
  w.Bool("enaSupport", true);
  w.Close("item");
}

void WriteInstanceType(XmlWriter& w, const InstanceTypeInfo& t) {
  w.Open("item");
  w.Text("instanceType", t.instance_type);
  w.Bool("currentGeneration", t.current_generation);
  w.Bool("freeTierEligible", t.free_tier_eligible);
  WriteItems(w, "supportedUsageClasses", {"on-demand", "spot"});
  WriteItems(w, "supportedRootDeviceTypes", {"ebs"});
  WriteItems(w, "supportedVirtualizationTypes", {"hvm"});
  w.Bool("bareMetal", false);
  w.Open("processorInfo");
  WriteItems(w, "supportedArchitectures", t.architectures);
  w.Close("processorInfo");
  w.Open("vCpuInfo");
  w.Int("defaultVCpus", t.vcpus);
  w.Close("vCpuInfo");
  w.Open("memoryInfo");
  w.Int("sizeInMiB", t.memory_mib);
  w.Close("memoryInfo");
  w.Bool("instanceStorageSupported", false);
  w.Close("item");
}

}  // namespace

std::string SerializeDescribeTags(std::string_view request_id, const Page<TagDescription>& page) {
  XmlWriter w(512 + 192 * page.items.size());
  BeginResponse(w, "DescribeTags", request_id);
  w.Open("tagSet");
  for (const TagDescription& t : page.items) {
    w.Open("item");
    w.Text("resourceId", t.resource_id);
    w.Text("resourceType", t.resource_type);
    w.Text("key", t.key);
    w.Text("value", t.value);
    w.Close("item");
  }
  w.Close("tagSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeTags");
  return w.Take();
}

std::string SerializeDescribeImages(std::string_view request_id, const Page<Image>& page) {
  XmlWriter w(512 + 1024 * page.items.size());
  BeginResponse(w, "DescribeImages", request_id);
  w.Open("imagesSet");
  for (const Image& i : page.items) {
    WriteImage(w, i);
  }
  w.Close("imagesSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeImages");
  return w.Take();
}

std::string SerializeDescribeInstanceTypes(std::string_view request_id,
                                           const Page<InstanceTypeInfo>& page) {
  XmlWriter w(512 + 768 * page.items.size());
  BeginResponse(w, "DescribeInstanceTypes", request_id);
  w.Open("instanceTypeSet");
  for (const InstanceTypeInfo& t : page.items) {
    WriteInstanceType(w, t);
  }
  w.Close("instanceTypeSet");
  WriteNextToken(w, page.next_token);
  EndResponse(w, "DescribeInstanceTypes");
  return w.Take();
}

std::string SerializeDescribeAvailabilityZones(std::string_view request_id,
                                               const std::vector<AvailabilityZone>& zones) {
  XmlWriter w(512 + 512 * zones.size());
  BeginResponse(w, "DescribeAvailabilityZones", request_id);
  w.Open("availabilityZoneInfo");
  for (const AvailabilityZone& z : zones) {
    w.Open("item");
    w.Text("zoneName", z.zone_name);
    w.Text("zoneState", z.state);
    w.Text("regionName", z.region_name);
    w.Empty("messageSet");
    w.Text("optInStatus", z.opt_in_status);
    w.Text("zoneId", z.zone_id);
    w.Text("groupName", z.group_name);
    w.Text("networkBorderGroup", z.network_border_group);
    w.Text("zoneType", z.zone_type);
    w.Close("item");
  }
  w.Close("availabilityZoneInfo");
  EndResponse(w, "DescribeAvailabilityZones");
  return w.Take();
}

std::string SerializeDescribeRegions(std::string_view request_id,
                                     const std::vector<Region>& regions) {
  XmlWriter w(512 + 256 * regions.size());
  BeginResponse(w, "DescribeRegions", request_id);
  w.Open("regionInfo");
  for (const Region& r : regions) {
    w.Open("item");
    w.Text("regionName", r.region_name);
    w.Text("regionEndpoint", r.endpoint);
    w.Text("optInStatus", r.opt_in_status);
    w.Close("item");
  }
  w.Close("regionInfo");
  EndResponse(w, "DescribeRegions");
  return w.Take();
}

}  // namespace ec2m::query
