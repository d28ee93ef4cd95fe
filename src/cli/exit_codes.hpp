#pragma once

#include "core/error.hpp"

namespace ec2m::cli {

// The one table from ErrorCode to the `ec2m` process exit code. 0 is success; 2 is also what a
// command-line usage error exits with.
//   invalid_argument 2, not_found 3, already_exists 4, failed_precondition 5, unauthenticated 6,
//   permission_denied 7, throttled 8, unavailable 9, timeout 10, internal 1.
int ExitCodeFor(ErrorCode code);

// Prints "ec2m: <message>" to stderr and returns the exit code for the error.
int ReportError(const Error& error);

}  // namespace ec2m::cli
