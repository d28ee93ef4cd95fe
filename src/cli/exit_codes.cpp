#include "cli/exit_codes.hpp"

#include <cstdio>

namespace ec2m::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 2;
    case ErrorCode::kNotFound:
      return 3;
    case ErrorCode::kAlreadyExists:
      return 4;
    case ErrorCode::kFailedPrecondition:
      return 5;
    case ErrorCode::kUnauthenticated:
      return 6;
    case ErrorCode::kPermissionDenied:
      return 7;
    case ErrorCode::kThrottled:
      return 8;
    case ErrorCode::kUnavailable:
      return 9;
    case ErrorCode::kTimeout:
      return 10;
    case ErrorCode::kInternal:
      return 1;
  }
  return 1;
}

int ReportError(const Error& error) {
  std::string text = error.message;
  if (!error.aws_code.empty()) {
    text = error.aws_code + ": " + text;
  }
  std::fprintf(stderr, "ec2m: %s\n", text.c_str());
  return ExitCodeFor(error.code);
}

}  // namespace ec2m::cli
