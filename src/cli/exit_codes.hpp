#pragma once

#include "core/error.hpp"

namespace ec2m::cli {

// The one table from ErrorCode to the `ec2m` process exit code. 0 is success; 2 is also what a
// command-line usage error exits with.
//   invalid_argument 2, not_found 3, already_exists 4, failed_precondition 5, unauthenticated 6,
//   permission_denied 7, throttled 8, unavailable 9, timeout 10, internal 1.
int ExitCodeFor(ErrorCode code);

// Beside them, how a change a command handed to the server ended (`deploy --wait`, `deployments
// watch`, `provision` and `rollback` of an environment that requires approval):
inline constexpr int kExitChangeFailed = 1;       // failed or rolled back
inline constexpr int kExitChangeStopped = 5;      // rejected or aborted
inline constexpr int kExitWaitTimedOut = 10;      // --timeout ran out while following it
inline constexpr int kExitAwaitingApproval = 11;  // held for approval, not followed (no --wait)

// Prints "ec2m: <message>" to stderr and returns the exit code for the error.
int ReportError(const Error& error);

}  // namespace ec2m::cli
