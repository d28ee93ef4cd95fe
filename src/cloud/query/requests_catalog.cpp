// Request parsers for tags, images, instance types, zones and regions.

#include "cloud/query/request_fields.hpp"
#include "cloud/query/requests.hpp"

namespace ec2m::query {

using internal::DescribeShape;

namespace {

Result<std::vector<std::string>> ParseResourceIds(const Params& p) {
  std::vector<std::string> ids = p.GetList("ResourceId");
  if (ids.empty()) {
    return MissingParameter("ResourceId");
  }
  for (const std::string& id : ids) {
    EC2M_RETURN_IF_ERROR(ValidateResourceId(id));
  }
  return ids;
}

}  // namespace

Result<CreateTagsRequest> ParseCreateTags(const Params& p) {
  CreateTagsRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.resource_ids, ParseResourceIds(p));
  EC2M_QUERY_ASSIGN_OR_RETURN(req.tags, internal::ParseTags(p, "Tag"));
  if (req.tags.empty()) {
    return MissingParameter("Tag");
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<DeleteTagsRequest> ParseDeleteTags(const Params& p) {
  DeleteTagsRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.resource_ids, ParseResourceIds(p));
  for (int n : p.Indices("Tag")) {
    const std::string item = ItemKey("Tag", n);
    TagKeyValue tag;
    EC2M_QUERY_ASSIGN_OR_RETURN(tag.key, p.GetRequired(item + ".Key"));
    tag.value = p.GetOptional(item + ".Value");
    req.tags.push_back(std::move(tag));
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<DescribeRequest> ParseDescribeTags(const Params& p) {
  return internal::ParseDescribe(p, DescribeShape{"", std::nullopt});
}

Result<DescribeImagesRequest> ParseDescribeImages(const Params& p) {
  DescribeImagesRequest req;
  EC2M_QUERY_ASSIGN_OR_RETURN(req.base,
                              internal::ParseDescribe(p, DescribeShape{"ImageId", IdKind::kImage}));
  req.owners = p.GetList("Owner");
  EC2M_RETURN_IF_ERROR(p.GetBool("IncludeDeprecated"));  // validated; the catalog has none
  return req;
}

Result<DescribeRequest> ParseDescribeInstanceTypes(const Params& p) {
  return internal::ParseDescribe(p, DescribeShape{"InstanceType", std::nullopt, true, 5, 100});
}

Result<DescribeRequest> ParseDescribeAvailabilityZones(const Params& p) {
  EC2M_QUERY_ASSIGN_OR_RETURN(
      DescribeRequest req,
      internal::ParseDescribe(p, DescribeShape{"ZoneName", std::nullopt, false}));
  std::vector<std::string> zone_ids = p.GetList("ZoneId");
  if (!zone_ids.empty()) {
    req.filters.push_back(Filter{"zone-id", std::move(zone_ids)});
  }
  EC2M_RETURN_IF_ERROR(p.GetBool("AllAvailabilityZones"));
  return req;
}

Result<DescribeRequest> ParseDescribeRegions(const Params& p) {
  EC2M_QUERY_ASSIGN_OR_RETURN(
      DescribeRequest req,
      internal::ParseDescribe(p, DescribeShape{"RegionName", std::nullopt, false}));
  EC2M_RETURN_IF_ERROR(p.GetBool("AllRegions"));
  return req;
}

}  // namespace ec2m::query
