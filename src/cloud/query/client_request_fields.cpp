#include "cloud/query/client_request_fields.hpp"

#include "cloud/query/client_requests.hpp"

namespace ec2m::query::internal {

Params BeginRequest(std::string_view action) {
  Params p;
  p.Set("Action", std::string(action));
  p.Set("Version", std::string(kApiVersion));
  return p;
}

void SetIfSet(Params& p, std::string_view key, const std::string& value) {
  if (!value.empty()) {
    p.Set(std::string(key), value);
  }
}

void SetIfTrue(Params& p, std::string_view key, bool value) {
  if (value) {
    p.Set(std::string(key), "true");
  }
}

void SetInt(Params& p, std::string_view key, int64_t value) {
  p.Set(std::string(key), std::to_string(value));
}

void SetList(Params& p, std::string_view prefix, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    p.Set(ItemKey(prefix, static_cast<int>(i + 1)), values[i]);
  }
}

void SetTags(Params& p, std::string_view prefix, const Tags& tags) {
  for (size_t i = 0; i < tags.size(); ++i) {
    const std::string item = ItemKey(prefix, static_cast<int>(i + 1));
    p.Set(item + ".Key", tags[i].key);
    p.Set(item + ".Value", tags[i].value);
  }
}

void SetTagSpecifications(Params& p, const std::vector<TagSpecification>& specs) {
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string item = ItemKey("TagSpecification", static_cast<int>(i + 1));
    SetIfSet(p, item + ".ResourceType", specs[i].resource_type);
    SetTags(p, item + ".Tag", specs[i].tags);
  }
}

void SetFilters(Params& p, const std::vector<Filter>& filters) {
  for (size_t i = 0; i < filters.size(); ++i) {
    const std::string item = ItemKey("Filter", static_cast<int>(i + 1));
    p.Set(item + ".Name", filters[i].name);
    SetList(p, item + ".Value", filters[i].values);
  }
}

void SetDescribe(Params& p, const DescribeRequest& req, const DescribeWire& wire) {
  if (!wire.id_list.empty()) {
    SetList(p, wire.id_list, req.ids);
  }
  SetFilters(p, req.filters);
  if (wire.paginated) {
    if (req.max_results) {
      SetInt(p, "MaxResults", *req.max_results);
    }
    SetIfSet(p, "NextToken", req.next_token);
  }
  SetIfTrue(p, "DryRun", req.dry_run);
}

}  // namespace ec2m::query::internal
