#pragma once

#include <string_view>

#include "core/error.hpp"

namespace ec2m::query {

// The client side of errors.hpp: an EC2 error code (and the HTTP status it came with) → our
// ErrorCode. Roughly the inverse of that table:
//   RequestLimitExceeded, Throttling*, *Throttled*, SlowDown, TooManyRequests* → kThrottled
//   AuthFailure, InvalidClientTokenId, SignatureDoesNotMatch, MissingAuthenticationToken,
//     IncompleteSignature, RequestExpired, ExpiredToken                          → kUnauthenticated
//   UnauthorizedOperation, AccessDenied, OptInRequired                           →
//   kPermissionDenied
//   *.NotFound                                                                   → kNotFound
//   *.Duplicate, IdempotentParameterMismatch                                     → kAlreadyExists
//   IncorrectInstanceState, IncorrectState, OperationNotPermitted, DependencyViolation,
//     DryRunOperation, CannotDelete                                              →
//     kFailedPrecondition
//   Insufficient*Capacity, Unavailable, ServiceUnavailable, InternalError, InternalFailure,
//     ServerInternal                                                             → kUnavailable
//   RequestTimeout, RequestTimeoutException                                      → kTimeout
// Any other code: kUnavailable for a 5xx status, else kInvalidArgument. Without a code (an
// empty or non-XML body, e.g. from a proxy): 401 kUnauthenticated, 403 kPermissionDenied,
// 408 kTimeout, 429 kThrottled, 5xx kUnavailable, else kInvalidArgument.
ErrorCode ErrorCodeForAwsCode(std::string_view aws_code, int http_status);

// Reads an EC2 error body, `<Response><Errors><Error><Code/><Message/></Error></Errors>
// <RequestID/></Response>`, or the `<ErrorResponse><Error>..</Error><RequestId/>` shape other
// AWS endpoints send, into an Error with aws_code, message and request_id as sent and the code
// from ErrorCodeForAwsCode. A body without an error code gives an empty aws_code and a message
// naming the HTTP status and the start of the body. Never fails; thread-safe.
Error ParseErrorResponse(int http_status, std::string_view body);

}  // namespace ec2m::query
