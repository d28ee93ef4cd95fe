#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.hpp"

namespace ec2m {

// The closed set of failure kinds. Exactly three tables turn these outward: HTTP status + JSON
// body (api/), EC2 error code + XML (sim/query), and CLI exit codes (cli/).
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kUnauthenticated,
  kPermissionDenied,
  kThrottled,
  kUnavailable,
  kTimeout,
  kInternal,
};

// Every ErrorCode, in declaration order; tests walk it to prove each outward table is total.
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::kInvalidArgument,    ErrorCode::kNotFound,        ErrorCode::kAlreadyExists,
    ErrorCode::kFailedPrecondition, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied,
    ErrorCode::kThrottled,          ErrorCode::kUnavailable,     ErrorCode::kTimeout,
    ErrorCode::kInternal,
};

// Stable lower_snake name of a code ("invalid_argument"), used in JSON bodies and logs.
std::string_view ErrorCodeName(ErrorCode code);

// A failure as a value. `message` names the thing that was wrong, e.g.
// "config/prod.json: $.vpc.maxAzs: expected 1..6, got 9". `aws_code` optionally carries the
// precise EC2 error code ("InvalidInstanceID.NotFound") so the EC2 surfaces can return it exactly.
// `request_id` is the remote request id when the error came from a remote service.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string aws_code;
  std::string request_id;
  // kThrottled (and kUnavailable): seconds until trying again may succeed; 0 = unknown. The REST
  // API sends it as Retry-After.
  int64_t retry_after_seconds = 0;

  // "not_found: The instance ID 'i-1' does not exist" — for logs and CLI output.
  std::string ToString() const;
};

template <typename T>
using Result = Expected<T, Error>;

// Shorthands that read well at the point of failure: `return Fail(ErrorCode::kNotFound, "...")`.
inline Unexpected<Error> Fail(ErrorCode code, std::string message, std::string aws_code = {}) {
  return Unexpected<Error>(Error{code, std::move(message), std::move(aws_code), {}});
}
inline Unexpected<Error> Fail(Error error) { return Unexpected<Error>(std::move(error)); }

}  // namespace ec2m

// Returns early from the enclosing function with the error of a failed Result-like expression.
// Binds the expression by reference: a named Result holding a large value (every record loaded
// at start-up, say) is checked in place, never copied; only the error is copied, on failure.
#define EC2M_RETURN_IF_ERROR(expr)               \
  do {                                           \
    auto&& ec2m_status_ = (expr);                \
    if (!ec2m_status_) {                         \
      return ::ec2m::Fail(ec2m_status_.error()); \
    }                                            \
  } while (false)
