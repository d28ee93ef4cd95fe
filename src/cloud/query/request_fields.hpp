#pragma once

// Internal to ec2m_query: readers for the structures several requests share.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "cloud/query/ids.hpp"
#include "cloud/query/params.hpp"
#include "core/ec2_types.hpp"
#include "core/error.hpp"

// Assigns the value of a successful Result expression to `lhs` (an lvalue or a declaration such as
// `auto x`), or returns its error from the enclosing function. `lhs` and `tmp` cannot be
// parenthesized: a declaration would stop being one.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define EC2M_QUERY_CONCAT_INNER_(a, b) a##b
#define EC2M_QUERY_CONCAT_(a, b) EC2M_QUERY_CONCAT_INNER_(a, b)
#define EC2M_QUERY_ASSIGN_OR_RETURN(lhs, expr) \
  EC2M_QUERY_ASSIGN_OR_RETURN_IMPL_(EC2M_QUERY_CONCAT_(ec2m_query_r_, __LINE__), lhs, expr)
#define EC2M_QUERY_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp) {                                             \
    return ::ec2m::Fail(std::move(tmp).error());          \
  }                                                       \
  lhs = std::move(*tmp)
// NOLINTEND(bugprone-macro-parentheses)

namespace ec2m::query::internal {

// Filter.N.Name (required once Filter.N.* appears) and Filter.N.Value.M.
Result<std::vector<Filter>> ParseFilters(const Params& p);
// `prefix`.N.Key (required) and `prefix`.N.Value ("" when absent).
Result<Tags> ParseTags(const Params& p, std::string_view prefix);
// TagSpecification.N.ResourceType and TagSpecification.N.Tag.M.{Key,Value}.
Result<std::vector<TagSpecification>> ParseTagSpecifications(const Params& p);

// How one Describe operation spells its ids and pages.
struct DescribeShape {
  std::string_view id_list;       // "InstanceId"; empty when the operation takes no ids
  std::optional<IdKind> id_kind;  // validated when set
  bool paginated = true;          // reads MaxResults and NextToken
  int max_results_min = 5;
  int max_results_max = 1000;
};
// ids, Filter.N, MaxResults, NextToken and DryRun.
Result<DescribeRequest> ParseDescribe(const Params& p, const DescribeShape& shape);

// A required, non-empty list of instance ids (InstanceId.N), each well formed.
Result<std::vector<std::string>> ParseInstanceIds(const Params& p);

// Standard base64 (A-Z a-z 0-9 + /, '=' padding, length a multiple of 4; CR and LF ignored), as
// EC2 wants user data. InvalidParameterValue naming `name` otherwise.
Result<void> ValidateBase64(std::string_view name, std::string_view value);

// kInvalidArgument, aws_code UnsupportedOperation: "<what> is not supported by ec2m".
Unexpected<Error> Unsupported(std::string_view what);

}  // namespace ec2m::query::internal
