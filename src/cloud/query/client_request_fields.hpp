#pragma once

// Internal to ec2m_query: writers for the structures several encoded requests share (the client
// side of request_fields.hpp).

#include <string>
#include <string_view>
#include <vector>

#include "cloud/query/params.hpp"
#include "core/ec2_types.hpp"

namespace ec2m::query::internal {

// Action=<action> and Version=2016-11-15.
Params BeginRequest(std::string_view action);
// `key`=`value` unless `value` is empty.
void SetIfSet(Params& p, std::string_view key, const std::string& value);
// `key`=true when `value`; nothing otherwise (false is EC2's default).
void SetIfTrue(Params& p, std::string_view key, bool value);
void SetInt(Params& p, std::string_view key, int64_t value);
// `prefix`.1, `prefix`.2, ...
void SetList(Params& p, std::string_view prefix, const std::vector<std::string>& values);
// `prefix`.N.Key and `prefix`.N.Value.
void SetTags(Params& p, std::string_view prefix, const Tags& tags);
// TagSpecification.N.ResourceType and TagSpecification.N.Tag.M.{Key,Value}.
void SetTagSpecifications(Params& p, const std::vector<TagSpecification>& specs);
// Filter.N.Name and Filter.N.Value.M.
void SetFilters(Params& p, const std::vector<Filter>& filters);

// How one Describe operation spells its ids, and whether it pages.
struct DescribeWire {
  std::string_view id_list;  // "InstanceId"; empty when the operation takes no ids
  bool paginated = true;     // sends MaxResults and NextToken
};
// ids, Filter.N, MaxResults, NextToken and DryRun.
void SetDescribe(Params& p, const DescribeRequest& req, const DescribeWire& wire);

}  // namespace ec2m::query::internal
