#include "core/error.hpp"

#include <gtest/gtest.h>

#include <set>

namespace ec2m {
namespace {

TEST(ErrorTest, EveryCodeHasADistinctName) {
  std::set<std::string_view> names;
  for (ErrorCode code : kAllErrorCodes) {
    names.insert(ErrorCodeName(code));
  }
  EXPECT_EQ(names.size(), std::size(kAllErrorCodes));
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
}

TEST(ErrorTest, ToStringNamesCodeAwsCodeAndMessage) {
  Error e{ErrorCode::kNotFound, "The instance ID 'i-1' does not exist",
          "InvalidInstanceID.NotFound", ""};
  EXPECT_EQ(e.ToString(),
            "not_found: InvalidInstanceID.NotFound: The instance ID 'i-1' does not exist");
}

Result<int> Half(int x) {
  if (x % 2 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "odd");
  }
  return x / 2;
}

Result<int> Quarter(int x) {
  auto half = Half(x);
  EC2M_RETURN_IF_ERROR(half);
  return Half(*half);
}

TEST(ErrorTest, ReturnIfErrorPropagates) {
  EXPECT_EQ(Quarter(8).value(), 2);
  ASSERT_FALSE(Quarter(6).has_value());
  EXPECT_EQ(Quarter(6).error().message, "odd");
  EXPECT_EQ(Quarter(3).error().code, ErrorCode::kInvalidArgument);
}

// Counts its copies, to show what EC2M_RETURN_IF_ERROR costs.
struct CopyCounter {
  explicit CopyCounter(int* copies) : copies(copies) {}
  CopyCounter(const CopyCounter& other) : copies(other.copies) { ++*copies; }
  CopyCounter& operator=(const CopyCounter& other) = default;
  int* copies;
};

Result<void> CheckCounter(const Result<CopyCounter>& counter) {
  EC2M_RETURN_IF_ERROR(counter);
  return {};
}

// A named Result is checked in place: SimRegion::Open checks every record loaded at start-up
// this way, and a copy there doubled the memory of a restart.
TEST(ErrorTest, ReturnIfErrorDoesNotCopyANamedResult) {
  int copies = 0;
  const Result<CopyCounter> counter{CopyCounter(&copies)};
  copies = 0;
  EXPECT_TRUE(CheckCounter(counter).has_value());
  EXPECT_EQ(copies, 0);
}

}  // namespace
}  // namespace ec2m
