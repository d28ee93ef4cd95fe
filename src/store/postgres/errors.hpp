#pragma once

#include <exception>
#include <functional>
#include <string_view>

#include "core/error.hpp"
#include "store/postgres/conninfo.hpp"

namespace ec2m::store::pg {

// The Error for an exception thrown by libpqxx while doing `what` against `info`:
// "store <info.display()>: <what>: <first line of the driver's message, password scrubbed>".
// Lost connections, commits of unknown outcome and serialization failures are kUnavailable;
// SQL errors map by SQLSTATE (constraint and data errors kInvalidArgument, authentication
// kUnauthenticated, privileges kPermissionDenied, a cancelled statement kTimeout); the rest
// kInternal.
Error ErrorFrom(const ConnInfo& info, std::string_view what, const std::exception& e);

// Runs `fn`, turning whatever it throws into ErrorFrom(info, what, ...).
Result<void> Guard(const ConnInfo& info, std::string_view what, const std::function<void()>& fn);

}  // namespace ec2m::store::pg
