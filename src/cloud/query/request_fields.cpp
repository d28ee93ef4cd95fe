#include "cloud/query/request_fields.hpp"

#include <string>

namespace ec2m::query::internal {

namespace {

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

Result<std::vector<Filter>> ParseFilters(const Params& p) {
  std::vector<Filter> filters;
  for (int n : p.Indices("Filter")) {
    const std::string prefix = ItemKey("Filter", n);
    Filter filter;
    EC2M_QUERY_ASSIGN_OR_RETURN(filter.name, p.GetRequired(prefix + ".Name"));
    filter.values = p.GetList(prefix + ".Value");
    filters.push_back(std::move(filter));
  }
  return filters;
}

Result<Tags> ParseTags(const Params& p, std::string_view prefix) {
  Tags tags;
  for (int n : p.Indices(prefix)) {
    const std::string item = ItemKey(prefix, n);
    Tag tag;
    EC2M_QUERY_ASSIGN_OR_RETURN(tag.key, p.GetRequired(item + ".Key"));
    tag.value = p.Get(item + ".Value");
    tags.push_back(std::move(tag));
  }
  return tags;
}

Result<std::vector<TagSpecification>> ParseTagSpecifications(const Params& p) {
  std::vector<TagSpecification> specs;
  for (int n : p.Indices("TagSpecification")) {
    const std::string item = ItemKey("TagSpecification", n);
    TagSpecification spec;
    spec.resource_type = p.Get(item + ".ResourceType");
    EC2M_QUERY_ASSIGN_OR_RETURN(spec.tags, ParseTags(p, item + ".Tag"));
    specs.push_back(std::move(spec));
  }
  return specs;
}

Result<DescribeRequest> ParseDescribe(const Params& p, const DescribeShape& shape) {
  DescribeRequest req;
  if (!shape.id_list.empty()) {
    req.ids = p.GetList(shape.id_list);
    if (shape.id_kind) {
      EC2M_RETURN_IF_ERROR(ValidateIds(*shape.id_kind, req.ids));
    }
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.filters, ParseFilters(p));
  if (shape.paginated) {
    EC2M_QUERY_ASSIGN_OR_RETURN(
        req.max_results, p.GetInt("MaxResults", shape.max_results_min, shape.max_results_max));
    req.next_token = p.Get("NextToken");
  }
  EC2M_QUERY_ASSIGN_OR_RETURN(req.dry_run, p.GetBool("DryRun", false));
  return req;
}

Result<std::vector<std::string>> ParseInstanceIds(const Params& p) {
  std::vector<std::string> ids = p.GetList("InstanceId");
  if (ids.empty()) {
    return MissingParameter("InstanceId");
  }
  EC2M_RETURN_IF_ERROR(ValidateIds(IdKind::kInstance, ids));
  return ids;
}

Result<void> ValidateBase64(std::string_view name, std::string_view value) {
  size_t count = 0;
  size_t padding = 0;
  for (const char c : value) {
    if (c == '\r' || c == '\n') {
      continue;
    }
    ++count;
    if (c == '=') {
      ++padding;
    } else if (padding > 0 || !IsBase64Char(c)) {
      return InvalidValue(name, value, "invalid BASE64 encoding");
    }
  }
  if (count % 4 != 0 || padding > 2) {
    return InvalidValue(name, value, "invalid BASE64 encoding");
  }
  return {};
}

Unexpected<Error> Unsupported(std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument, std::string(what) + " is not supported by ec2m",
              "UnsupportedOperation");
}

}  // namespace ec2m::query::internal
