#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"
#include "sim/wildcard.hpp"

namespace ec2m::sim {

// The values a resource has for one filter name. A ValuesOf<T> callable has the signature
//   bool(const T& item, std::string_view filter_name, std::vector<std::string>& out)
// and returns false for a filter name it does not know.

// tag:KEY, tag-key and tag-value, shared by every resource type.
bool TagFilterValues(const Tags& tags, std::string_view name, std::vector<std::string>& out);

// kInvalidArgument (InvalidParameterValue) for a filter name unknown to `values_of`, or a filter
// without values; checked against a default item so errors do not depend on what exists.
template <typename T, typename ValuesOf>
Result<void> ValidateFilters(const std::vector<Filter>& filters, ValuesOf values_of) {
  const T probe{};
  std::vector<std::string> scratch;
  for (const Filter& f : filters) {
    if (!values_of(probe, f.name, scratch)) {
      return Fail(ErrorCode::kInvalidArgument, "The filter '" + f.name + "' is invalid",
                  "InvalidParameterValue");
    }
    if (f.values.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "The filter '" + f.name + "' must have at least one value",
                  "InvalidParameterValue");
    }
  }
  return {};
}

// True when `item` passes every filter (ANDed); within a filter any value may match (ORed).
template <typename T, typename ValuesOf>
bool MatchesFilters(const T& item, const std::vector<Filter>& filters, ValuesOf values_of) {
  std::vector<std::string> values;
  for (const Filter& f : filters) {
    values.clear();
    values_of(item, f.name, values);
    bool any = false;
    for (const std::string& pattern : f.values) {
      for (const std::string& v : values) {
        if (WildcardMatch(pattern, v)) {
          any = true;
          break;
        }
      }
      if (any) {
        break;
      }
    }
    if (!any) {
      return false;
    }
  }
  return true;
}

}  // namespace ec2m::sim
