#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cloud/query/params.hpp"
#include "core/ec2.hpp"

namespace ec2m::query {

// An EC2 Query API answer: HTTP status and XML body (text/xml;charset=UTF-8).
struct QueryResponse {
  int status = 200;
  std::string body;
};

// Serves one decoded EC2 Query request against any Ec2 implementation: reads Action, parses the
// request (ids, booleans, integers, required parameters), calls `ec2`, and serializes the result
// or the error through the one error table (errors.hpp). A missing Action is MissingAction; an
// unknown one InvalidAction ("The action X is not valid for this web service."). Version is not
// checked: any or none is accepted, as the 2016-11-15 shapes are the only ones served. Nothing
// reaches `ec2` unless the request parsed. Thread-safe if `ec2` is.
QueryResponse Dispatch(Ec2& ec2, const Params& params, std::string_view request_id);

// The error body and status for `error`, as Dispatch answers it.
QueryResponse ErrorResponse(const Error& error, std::string_view request_id);

// Every Action Dispatch serves, in alphabetical order.
std::vector<std::string_view> SupportedActions();

}  // namespace ec2m::query
