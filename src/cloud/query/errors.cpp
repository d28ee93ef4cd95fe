#include "cloud/query/errors.hpp"

#include <array>
#include <utility>

#include "cloud/query/xml_writer.hpp"

namespace ec2m::query {

namespace {

// EC2 codes answered with a status other than 400.
constexpr std::array<std::pair<std::string_view, int>, 14> kStatusByCode = {{
    {"AuthFailure", 401},
    {"UnauthorizedOperation", 403},
    {"MissingAuthenticationToken", 403},
    {"InvalidClientTokenId", 403},
    {"SignatureDoesNotMatch", 403},
    {"OptInRequired", 403},
    {"DryRunOperation", 412},
    {"InternalError", 500},
    {"InternalFailure", 500},
    {"ServerInternal", 500},
    {"RequestLimitExceeded", 503},
    {"Unavailable", 503},
    {"ServiceUnavailable", 503},
    {"RequestTimeout", 503},
}};

}  // namespace

std::string_view DefaultAwsCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kAlreadyExists:
      return "InvalidParameterValue";
    case ErrorCode::kFailedPrecondition:
      return "IncorrectState";
    case ErrorCode::kUnauthenticated:
      return "AuthFailure";
    case ErrorCode::kPermissionDenied:
      return "UnauthorizedOperation";
    case ErrorCode::kThrottled:
      return "RequestLimitExceeded";
    case ErrorCode::kUnavailable:
      return "Unavailable";
    case ErrorCode::kTimeout:
      return "RequestTimeout";
    case ErrorCode::kInternal:
      return "InternalError";
  }
  return "InternalError";
}

int HttpStatusForAwsCode(std::string_view aws_code) {
  for (const auto& [code, status] : kStatusByCode) {
    if (aws_code == code) {
      return status;
    }
  }
  // InsufficientInstanceCapacity, InsufficientAddressCapacity, ...: server errors on EC2.
  if (aws_code.starts_with("Insufficient") && aws_code.ends_with("Capacity")) {
    return 500;
  }
  return 400;
}

Ec2ErrorCode ToEc2ErrorCode(const Error& error) {
  std::string code =
      error.aws_code.empty() ? std::string(DefaultAwsCode(error.code)) : error.aws_code;
  const int status = HttpStatusForAwsCode(code);
  return Ec2ErrorCode{std::move(code), status};
}

std::string SerializeError(const Error& error, std::string_view request_id) {
  const Ec2ErrorCode mapped = ToEc2ErrorCode(error);
  XmlWriter w(256 + error.message.size());
  w.Declaration();
  w.Open("Response");
  w.Open("Errors");
  w.Open("Error");
  w.Text("Code", mapped.code);
  w.Text("Message", error.message);
  w.Close("Error");
  w.Close("Errors");
  w.Text("RequestID", request_id);
  w.Close("Response");
  return w.Take();
}

}  // namespace ec2m::query
