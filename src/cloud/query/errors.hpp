#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace ec2m::query {

// THE table turning an ec2m Error into EC2's error code and HTTP status (one of the three outward
// error tables; see STYLE.md). Error::aws_code wins when set; otherwise the ErrorCode picks a
// generic EC2 code:
//   kInvalidArgument → InvalidParameterValue    kUnauthenticated  → AuthFailure
//   kNotFound        → InvalidParameterValue    kPermissionDenied → UnauthorizedOperation
//   kAlreadyExists   → InvalidParameterValue    kThrottled        → RequestLimitExceeded
//   kFailedPrecondition → IncorrectState        kUnavailable      → Unavailable
//   kTimeout         → RequestTimeout           kInternal         → InternalError
// The status follows from the EC2 code (HttpStatusForAwsCode).
struct Ec2ErrorCode {
  std::string code;  // "InvalidInstanceID.NotFound"
  int http_status = 400;
};

// The generic EC2 code of an ErrorCode (the left column above).
std::string_view DefaultAwsCode(ErrorCode code);

// 401 AuthFailure; 403 UnauthorizedOperation, MissingAuthenticationToken, InvalidClientTokenId,
// SignatureDoesNotMatch, OptInRequired; 412 DryRunOperation; 500 InternalError, InternalFailure,
// ServerInternal, Insufficient*Capacity; 503 RequestLimitExceeded, Unavailable,
// ServiceUnavailable, RequestTimeout; 400 everything else (client errors, IncompleteSignature,
// RequestExpired, ...).
int HttpStatusForAwsCode(std::string_view aws_code);

Ec2ErrorCode ToEc2ErrorCode(const Error& error);

// EC2's error body:
// <?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>..</Code>
// <Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>
std::string SerializeError(const Error& error, std::string_view request_id);

}  // namespace ec2m::query
