#pragma once

// Helpers shared by the files that implement SimRegion. Internal to sim/.

#include <string>
#include <string_view>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"
#include "sim/filters.hpp"
#include "sim/state.hpp"

namespace ec2m::sim {

// The error of a successful DryRun.
Unexpected<Error> DryRunSucceeded();

// MaxResults within [lo, hi]; with `ids`, MaxResults is InvalidParameterCombination when
// `ids_exclusive` (DescribeInstances, DescribeInstanceStatus).
Result<void> CheckPaging(const DescribeRequest& req, int lo, int hi, bool ids_exclusive);

// Opaque NextToken <-> position. A token not made here is InvalidNextToken (or `code`).
std::string MakeNextToken(uint64_t position);
Result<uint64_t> ReadNextToken(const std::string& token,
                               std::string_view code = "InvalidNextToken");

// Slices `items` after filtering into one page. Positions are indexes into `items`.
template <typename T>
Result<Page<T>> PageOf(std::vector<T> items, const DescribeRequest& req) {
  uint64_t start = 0;
  if (!req.next_token.empty()) {
    auto pos = ReadNextToken(req.next_token, "InvalidPaginationToken");
    EC2M_RETURN_IF_ERROR(pos);
    start = *pos;
  }
  Page<T> page;
  if (start >= items.size()) {
    return page;
  }
  uint64_t end = items.size();
  if (req.max_results && start + static_cast<uint64_t>(*req.max_results) < end) {
    end = start + static_cast<uint64_t>(*req.max_results);
    page.next_token = MakeNextToken(end);
  }
  page.items.assign(std::make_move_iterator(items.begin() + static_cast<ptrdiff_t>(start)),
                    std::make_move_iterator(items.begin() + static_cast<ptrdiff_t>(end)));
  return page;
}

// True when a Describe call asked for `id`: it named no ids, or named this one.
bool Requested(const std::vector<std::string>& ids, std::string_view id);

// EC2's tag rules: at most 50 per resource, key 1..127 characters without the "aws:" prefix,
// value at most 255 characters.
Result<void> ValidateTags(const Tags& tags);
// Sets `tags` on `target` (overwriting equal keys), enforcing the 50-tag limit for `resource_id`.
Result<void> MergeTags(Tags& target, const Tags& tags, const std::string& resource_id);
// The tags of the TagSpecifications naming `resource_type`; any other resource type named is
// InvalidParameterValue unless listed in `allowed`.
Result<Tags> TagsFromSpecs(const std::vector<TagSpecification>& specs,
                           std::string_view resource_type,
                           const std::vector<std::string_view>& allowed);

// The resource type EC2 reports for an id prefix ("i-" -> "instance"), or empty.
std::string_view ResourceTypeOf(std::string_view id);
// The NotFound error EC2 gives for ids of this kind: InvalidInstanceID.NotFound etc.
Unexpected<Error> IdsNotFound(std::string_view resource_type, const std::vector<std::string>& ids);

// IdsNotFound naming every id in `ids` that `items` (a map by id) does not hold.
template <typename Map>
Result<void> CheckIdsExist(const Map& items, const std::vector<std::string>& ids,
                           std::string_view resource_type) {
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    if (items.count(id) == 0) {
      missing.push_back(id);
    }
  }
  if (!missing.empty()) {
    return IdsNotFound(resource_type, missing);
  }
  return {};
}

// The Describe call of a resource kind held in a map by id: paging and filter checks, unknown ids
// (IdsNotFound of `resource_type`), DryRun, then the requested, matching items in id order.
// `to_item(id, record)` builds the domain value; `values_of` answers filters (see filters.hpp).
template <typename T, typename Map, typename ToItem, typename ValuesOf>
Result<Page<T>> DescribeFromMap(const Map& records, const DescribeRequest& req,
                                std::string_view resource_type, ToItem to_item,
                                ValuesOf values_of) {
  EC2M_RETURN_IF_ERROR(CheckPaging(req, 5, 1000, false));
  EC2M_RETURN_IF_ERROR(ValidateFilters<T>(req.filters, values_of));
  EC2M_RETURN_IF_ERROR(CheckIdsExist(records, req.ids, resource_type));
  if (req.dry_run) {
    return DryRunSucceeded();
  }
  std::vector<T> items;
  for (const auto& [id, record] : records) {
    if (!Requested(req.ids, id)) {
      continue;
    }
    T item = to_item(id, record);
    if (MatchesFilters(item, req.filters, values_of)) {
      items.push_back(std::move(item));
    }
  }
  return PageOf(std::move(items), req);
}

}  // namespace ec2m::sim
