#include "cli/exit_codes.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ec2m::cli {
namespace {

TEST(ExitCodesTest, EveryCodeHasItsOwnNonZeroExitCode) {
  std::set<int> seen;
  for (ErrorCode code : kAllErrorCodes) {
    const int exit_code = ExitCodeFor(code);
    EXPECT_NE(exit_code, 0) << ErrorCodeName(code);
    seen.insert(exit_code);
  }
  EXPECT_EQ(seen.size(), std::size(kAllErrorCodes));
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInternal), 1);
  // Awaiting approval is no error's code: a script tells it apart from every failure.
  EXPECT_EQ(seen.count(kExitAwaitingApproval), 0u);
  EXPECT_NE(kExitAwaitingApproval, 0);
}

}  // namespace
}  // namespace ec2m::cli
