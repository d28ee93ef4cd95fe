#pragma once

#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/ec2_types.hpp"
#include "core/error.hpp"

// Following NextToken through every page of a Describe call, as the SDKs' paginators do.
namespace ec2m {

// Calls `describe(req)`, then again with each page's next_token, until a page comes back
// without one; hands every page's items to `on_items(std::vector<T>&&)` as it arrives. Stops at
// the first error and returns it. A token the server already sent once fails the walk with
// kInternal (botocore's "The same next token was received twice") instead of looping forever.
// `describe` is any callable `Result<Page<T>>(const DescribeRequest&)`: for the operations whose
// request wraps a DescribeRequest (images, instance status), wrap the call in a lambda.
//
//   auto all = DescribeAll(req, [&](const DescribeRequest& r) { return ec2.DescribeVpcs(r); });
template <typename Describe, typename OnItems>
Result<void> ForEachPage(DescribeRequest req, Describe&& describe, OnItems&& on_items) {
  std::set<std::string> seen;
  for (;;) {
    auto page = describe(std::as_const(req));
    EC2M_RETURN_IF_ERROR(page);
    on_items(std::move(page->items));
    if (page->next_token.empty()) {
      return {};
    }
    if (!seen.insert(page->next_token).second) {
      return Fail(ErrorCode::kInternal, "the endpoint sent the same NextToken twice after " +
                                            std::to_string(seen.size()) +
                                            " pages; stopped following it");
    }
    req.next_token = std::move(page->next_token);
  }
}

// Every item of every page, in order.
template <typename Describe>
auto DescribeAll(DescribeRequest req, Describe&& describe)
    -> Result<decltype(describe(std::declval<const DescribeRequest&>())->items)> {
  decltype(describe(std::declval<const DescribeRequest&>())->items) all;
  EC2M_RETURN_IF_ERROR(
      ForEachPage(std::move(req), std::forward<Describe>(describe), [&](auto&& items) {
        all.insert(all.end(), std::make_move_iterator(items.begin()),
                   std::make_move_iterator(items.end()));
      }));
  return all;
}

}  // namespace ec2m
