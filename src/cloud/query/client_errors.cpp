#include "cloud/query/client_errors.hpp"

#include <array>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <utility>

namespace ec2m::query {

namespace {

// How much of a body without an error code goes into the message.
constexpr size_t kBodyExcerpt = 200;

// Exact codes; the families (*.NotFound, Throttling*, ...) are matched in ErrorCodeForAwsCode.
constexpr std::array<std::pair<std::string_view, ErrorCode>, 26> kCodes = {{
    {"RequestLimitExceeded", ErrorCode::kThrottled},
    {"SlowDown", ErrorCode::kThrottled},
    {"BandwidthLimitExceeded", ErrorCode::kThrottled},
    {"AuthFailure", ErrorCode::kUnauthenticated},
    {"InvalidClientTokenId", ErrorCode::kUnauthenticated},
    {"SignatureDoesNotMatch", ErrorCode::kUnauthenticated},
    {"MissingAuthenticationToken", ErrorCode::kUnauthenticated},
    {"IncompleteSignature", ErrorCode::kUnauthenticated},
    {"RequestExpired", ErrorCode::kUnauthenticated},
    {"ExpiredToken", ErrorCode::kUnauthenticated},
    {"UnauthorizedOperation", ErrorCode::kPermissionDenied},
    {"AccessDenied", ErrorCode::kPermissionDenied},
    {"OptInRequired", ErrorCode::kPermissionDenied},
    {"IdempotentParameterMismatch", ErrorCode::kAlreadyExists},
    {"IncorrectInstanceState", ErrorCode::kFailedPrecondition},
    {"IncorrectState", ErrorCode::kFailedPrecondition},
    {"OperationNotPermitted", ErrorCode::kFailedPrecondition},
    {"DependencyViolation", ErrorCode::kFailedPrecondition},
    {"DryRunOperation", ErrorCode::kFailedPrecondition},
    {"CannotDelete", ErrorCode::kFailedPrecondition},
    {"Unavailable", ErrorCode::kUnavailable},
    {"ServiceUnavailable", ErrorCode::kUnavailable},
    {"InternalError", ErrorCode::kUnavailable},
    {"InternalFailure", ErrorCode::kUnavailable},
    {"ServerInternal", ErrorCode::kUnavailable},
    {"RequestTimeout", ErrorCode::kTimeout},
}};

std::optional<ErrorCode> FamilyOf(std::string_view c) {
  if (c.starts_with("Throttl") || c.find("Throttled") != std::string_view::npos ||
      c.starts_with("TooManyRequests")) {
    return ErrorCode::kThrottled;
  }
  if (c.ends_with(".NotFound")) {
    return ErrorCode::kNotFound;
  }
  if (c.ends_with(".Duplicate")) {
    return ErrorCode::kAlreadyExists;
  }
  if (c.starts_with("Insufficient") && c.ends_with("Capacity")) {
    return ErrorCode::kUnavailable;
  }
  if (c == "RequestTimeoutException") {
    return ErrorCode::kTimeout;
  }
  return std::nullopt;
}

ErrorCode CodeForStatus(int http_status) {
  switch (http_status) {
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 408:
      return ErrorCode::kTimeout;
    case 429:
      return ErrorCode::kThrottled;
    default:
      return http_status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kInvalidArgument;
  }
}

// The first <Error> with a <Code>: Response/Errors/Error or ErrorResponse/Error.
pugi::xml_node FindError(const pugi::xml_document& doc) {
  pugi::xml_node root = doc.document_element();
  for (pugi::xml_node error : root.child("Errors").children("Error")) {
    if (error.child("Code")) {
      return error;
    }
  }
  return root.child("Error");
}

std::string RequestIdOf(pugi::xml_node root) {
  for (const char* name : {"RequestID", "RequestId", "requestId"}) {
    if (pugi::xml_node id = root.child(name)) {
      return id.child_value();
    }
  }
  return "";
}

}  // namespace

ErrorCode ErrorCodeForAwsCode(std::string_view aws_code, int http_status) {
  if (aws_code.empty()) {
    return CodeForStatus(http_status);
  }
  for (const auto& [code, ours] : kCodes) {
    if (code == aws_code) {
      return ours;
    }
  }
  if (std::optional<ErrorCode> family = FamilyOf(aws_code)) {
    return *family;
  }
  return http_status >= 500 ? ErrorCode::kUnavailable : ErrorCode::kInvalidArgument;
}

Error ParseErrorResponse(int http_status, std::string_view body) {
  Error error;
  pugi::xml_document doc;
  if (doc.load_buffer(body.data(), body.size())) {
    pugi::xml_node found = FindError(doc);
    error.aws_code = found.child_value("Code");
    error.message = found.child_value("Message");
    error.request_id = RequestIdOf(doc.document_element());
    if (error.request_id.empty()) {
      error.request_id = RequestIdOf(found);
    }
  }
  error.code = ErrorCodeForAwsCode(error.aws_code, http_status);
  if (error.aws_code.empty()) {
    std::string excerpt(body.substr(0, kBodyExcerpt));
    error.message = "HTTP " + std::to_string(http_status) + " without an EC2 error code" +
                    (excerpt.empty() ? std::string(" (empty body)") : ": " + excerpt);
  } else if (error.message.empty()) {
    error.message = error.aws_code + " (HTTP " + std::to_string(http_status) + ")";
  }
  return error;
}

}  // namespace ec2m::query
