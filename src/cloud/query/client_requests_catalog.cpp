// Request encoders for tags, images, instance types, zones and regions.

#include "cloud/query/client_request_fields.hpp"
#include "cloud/query/client_requests.hpp"

namespace ec2m::query {

using internal::BeginRequest;
using internal::DescribeWire;
using internal::SetIfTrue;

Params EncodeCreateTags(const CreateTagsRequest& req) {
  Params p = BeginRequest("CreateTags");
  internal::SetList(p, "ResourceId", req.resource_ids);
  internal::SetTags(p, "Tag", req.tags);
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDeleteTags(const DeleteTagsRequest& req) {
  Params p = BeginRequest("DeleteTags");
  internal::SetList(p, "ResourceId", req.resource_ids);
  for (size_t i = 0; i < req.tags.size(); ++i) {
    const std::string item = ItemKey("Tag", static_cast<int>(i + 1));
    p.Set(item + ".Key", req.tags[i].key);
    if (req.tags[i].value) {
      p.Set(item + ".Value", *req.tags[i].value);
    }
  }
  SetIfTrue(p, "DryRun", req.dry_run);
  return p;
}

Params EncodeDescribeTags(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeTags");
  internal::SetDescribe(p, req, DescribeWire{""});
  return p;
}

Params EncodeDescribeImages(const DescribeImagesRequest& req) {
  Params p = BeginRequest("DescribeImages");
  internal::SetDescribe(p, req.base, DescribeWire{"ImageId"});
  internal::SetList(p, "Owner", req.owners);
  return p;
}

Params EncodeDescribeInstanceTypes(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeInstanceTypes");
  internal::SetDescribe(p, req, DescribeWire{"InstanceType"});
  return p;
}

Params EncodeDescribeAvailabilityZones(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeAvailabilityZones");
  internal::SetDescribe(p, req, DescribeWire{"ZoneName", false});
  return p;
}

Params EncodeDescribeRegions(const DescribeRequest& req) {
  Params p = BeginRequest("DescribeRegions");
  internal::SetDescribe(p, req, DescribeWire{"RegionName", false});
  return p;
}

}  // namespace ec2m::query
