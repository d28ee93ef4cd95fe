#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cloud/query/params.hpp"
#include "core/ec2.hpp"
#include "core/error.hpp"

namespace ec2m::query {

// An EC2 Query API answer: HTTP status and XML body (text/xml;charset=UTF-8).
struct QueryResponse {
  int status = 200;
  std::string body;
  // Set only by DispatchStreamed, for an answer too large to hold whole: then `body` is empty and
  // each call appends the next piece of the body to `out` (empty on entry), returning true while
  // more follows. The first piece is ready before DispatchStreamed returns, so the errors a request
  // causes are always an error answer, never a stream; an Error from a call means the region
  // failed after the first piece and the answer cannot be finished: cut it short. Calls must not
  // overlap; they may come from different threads. Borrows the Ec2 given to DispatchStreamed.
  std::function<Result<bool>(std::string& out)> stream;
};

// Serves one decoded EC2 Query request against any Ec2 implementation: reads Action, parses the
// request (ids, booleans, integers, required parameters), calls `ec2`, and serializes the result
// or the error through the one error table (errors.hpp). A missing Action is MissingAction; an
// unknown one InvalidAction ("The action X is not valid for this web service."). Version is not
// checked: any or none is accepted, as the 2016-11-15 shapes are the only ones served. Nothing
// reaches `ec2` unless the request parsed. Thread-safe if `ec2` is.
QueryResponse Dispatch(Ec2& ec2, const Params& params, std::string_view request_id);

// Dispatch, except that a DescribeInstances asking for everything in one answer (no MaxResults)
// is read from `ec2` `window` instances at a time (Ec2::DescribeInstancesWindow) and, when that
// takes more than one window, answered as a stream: the prologue with the first window, one piece
// per window, the closing tags with the last. Memory is bounded by a window, not by the answer;
// the bytes are those Dispatch answers for the same instances. An answer of one window is a whole
// body, as from Dispatch. REQUIRES: window > 0.
QueryResponse DispatchStreamed(Ec2& ec2, const Params& params, std::string_view request_id,
                               int window);

// The error body and status for `error`, as Dispatch answers it.
QueryResponse ErrorResponse(const Error& error, std::string_view request_id);

// Every Action Dispatch serves, in alphabetical order.
std::vector<std::string_view> SupportedActions();

}  // namespace ec2m::query
