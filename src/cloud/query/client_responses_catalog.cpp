// Response parsers for tags, images, instance types, zones and regions.

#include "cloud/query/client_response_reader.hpp"
#include "cloud/query/client_responses.hpp"

namespace ec2m::query {

using internal::ParseOne;
using internal::ParsePage;
using internal::XmlReader;

namespace {

TagDescription ReadTagDescription(XmlReader&, pugi::xml_node n) {
  return {XmlReader::Text(n, "resourceId"), XmlReader::Text(n, "resourceType"),
          XmlReader::Text(n, "key"), XmlReader::Text(n, "value")};
}

Image ReadImage(XmlReader& r, pugi::xml_node n) {
  Image i;
  i.image_id = XmlReader::Text(n, "imageId");
  i.image_location = XmlReader::Text(n, "imageLocation");
  i.state = XmlReader::Text(n, "imageState");
  i.owner_id = XmlReader::Text(n, "imageOwnerId");
  i.creation_date = XmlReader::Text(n, "creationDate");
  i.is_public = r.Bool(n, "isPublic");
  i.architecture = XmlReader::Text(n, "architecture");
  i.image_type = XmlReader::Text(n, "imageType");
  i.platform = XmlReader::Text(n, "platform");
  i.owner_alias = XmlReader::Text(n, "imageOwnerAlias");
  i.name = XmlReader::Text(n, "name");
  i.description = XmlReader::Text(n, "description");
  i.root_device_type = XmlReader::Text(n, "rootDeviceType");
  i.root_device_name = XmlReader::Text(n, "rootDeviceName");
  i.virtualization_type = XmlReader::Text(n, "virtualizationType");
  i.tags = XmlReader::TagSet(n);
  i.hypervisor = XmlReader::Text(n, "hypervisor");
  return i;
}

InstanceTypeInfo ReadInstanceType(XmlReader& r, pugi::xml_node n) {
  InstanceTypeInfo t;
  t.instance_type = XmlReader::Text(n, "instanceType");
  t.current_generation = r.Bool(n, "currentGeneration");
  t.free_tier_eligible = r.Bool(n, "freeTierEligible");
  t.architectures = XmlReader::Strings(n.child("processorInfo"), "supportedArchitectures");
  t.vcpus = static_cast<int>(r.Int(n.child("vCpuInfo"), "defaultVCpus"));
  t.memory_mib = r.Int(n.child("memoryInfo"), "sizeInMiB");
  return t;
}

AvailabilityZone ReadZone(pugi::xml_node n) {
  AvailabilityZone z;
  z.zone_name = XmlReader::Text(n, "zoneName");
  z.state = XmlReader::Text(n, "zoneState");
  z.region_name = XmlReader::Text(n, "regionName");
  z.opt_in_status = XmlReader::Text(n, "optInStatus");
  z.zone_id = XmlReader::Text(n, "zoneId");
  z.group_name = XmlReader::Text(n, "groupName");
  z.network_border_group = XmlReader::Text(n, "networkBorderGroup");
  z.zone_type = XmlReader::Text(n, "zoneType");
  return z;
}

}  // namespace

Result<Page<TagDescription>> ParseDescribeTagsResponse(std::string_view xml) {
  return ParsePage<TagDescription>(xml, "DescribeTags", "tagSet", ReadTagDescription);
}

Result<Page<Image>> ParseDescribeImagesResponse(std::string_view xml) {
  return ParsePage<Image>(xml, "DescribeImages", "imagesSet", ReadImage);
}

Result<Page<InstanceTypeInfo>> ParseDescribeInstanceTypesResponse(std::string_view xml) {
  return ParsePage<InstanceTypeInfo>(xml, "DescribeInstanceTypes", "instanceTypeSet",
                                     ReadInstanceType);
}

Result<std::vector<AvailabilityZone>> ParseDescribeAvailabilityZonesResponse(std::string_view xml) {
  return ParseOne(xml, "DescribeAvailabilityZones", [](XmlReader&, pugi::xml_node root) {
    std::vector<AvailabilityZone> zones;
    for (pugi::xml_node item : XmlReader::Items(root, "availabilityZoneInfo")) {
      zones.push_back(ReadZone(item));
    }
    return zones;
  });
}

Result<std::vector<Region>> ParseDescribeRegionsResponse(std::string_view xml) {
  return ParseOne(xml, "DescribeRegions", [](XmlReader&, pugi::xml_node root) {
    std::vector<Region> regions;
    for (pugi::xml_node item : XmlReader::Items(root, "regionInfo")) {
      regions.push_back({XmlReader::Text(item, "regionName"),
                         XmlReader::Text(item, "regionEndpoint"),
                         XmlReader::Text(item, "optInStatus")});
    }
    return regions;
  });
}

}  // namespace ec2m::query
