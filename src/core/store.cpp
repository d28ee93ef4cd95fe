#include "core/store.hpp"

#include <fmt/core.h>

namespace ec2m {

Result<void> CheckDocVersion(const DocWrite& write, int64_t found) {
  const int64_t expected = write.expected_version;
  if (expected == DocWrite::kAnyVersion || expected == found) {
    return {};
  }
  const std::string name = write.collection + "/" + write.key;
  if (expected == 0) {
    return Fail(ErrorCode::kAlreadyExists,
                fmt::format("{}: already exists (version {})", name, found));
  }
  if (found == 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                fmt::format("{}: expected version {}, found none", name, expected));
  }
  return Fail(ErrorCode::kFailedPrecondition,
              fmt::format("{}: expected version {}, found {}", name, expected, found));
}

}  // namespace ec2m
