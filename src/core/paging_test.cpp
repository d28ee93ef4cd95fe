#include "core/paging.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace ec2m {
namespace {

// A describe call over fixed pages: token "" is the first page; each page names the next.
struct FakePages {
  std::map<std::string, Page<int>> pages;
  std::vector<DescribeRequest> calls;

  Result<Page<int>> operator()(const DescribeRequest& req) {
    calls.push_back(req);
    auto it = pages.find(req.next_token);
    if (it == pages.end()) {
      return Fail(ErrorCode::kInvalidArgument, "bad token " + req.next_token, "InvalidNextToken");
    }
    return it->second;
  }
};

TEST(PagingTest, FollowsNextTokenToTheLastPageKeepingTheRequest) {
  FakePages fake;
  fake.pages[""] = {{1, 2}, "t1"};
  fake.pages["t1"] = {{3}, "t2"};
  fake.pages["t2"] = {{4, 5}, ""};
  DescribeRequest req;
  req.max_results = 5;
  req.filters = {{"instance-state-name", {"running"}}};
  auto all = DescribeAll(req, [&](const DescribeRequest& r) { return fake(r); });
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  EXPECT_EQ(*all, (std::vector<int>{1, 2, 3, 4, 5}));
  ASSERT_EQ(fake.calls.size(), 3u);
  EXPECT_EQ(fake.calls[1].next_token, "t1");
  EXPECT_EQ(fake.calls[2].next_token, "t2");
  for (const auto& call : fake.calls) {
    EXPECT_EQ(call.max_results, 5);
    ASSERT_EQ(call.filters.size(), 1u);
  }
}

TEST(PagingTest, SinglePageAndEmptyPages) {
  FakePages fake;
  fake.pages[""] = {{}, "t1"};  // EC2 may answer an empty page that still has a token
  fake.pages["t1"] = {{7}, ""};
  auto all = DescribeAll({}, [&](const DescribeRequest& r) { return fake(r); });
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, std::vector<int>{7});
}

TEST(PagingTest, StopsAtTheFirstErrorAndReturnsIt) {
  FakePages fake;
  fake.pages[""] = {{1}, "gone"};
  std::vector<int> seen;
  auto walked = ForEachPage(
      {}, [&](const DescribeRequest& r) { return fake(r); },
      [&](std::vector<int>&& items) { seen.insert(seen.end(), items.begin(), items.end()); });
  ASSERT_FALSE(walked.has_value());
  EXPECT_EQ(walked.error().aws_code, "InvalidNextToken");
  EXPECT_EQ(seen, std::vector<int>{1});
}

TEST(PagingTest, ARepeatedTokenFailsInsteadOfLooping) {
  FakePages fake;
  fake.pages[""] = {{1}, "a"};
  fake.pages["a"] = {{2}, "b"};
  fake.pages["b"] = {{3}, "a"};
  auto all = DescribeAll({}, [&](const DescribeRequest& r) { return fake(r); });
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().code, ErrorCode::kInternal);
  EXPECT_NE(all.error().message.find("same NextToken twice"), std::string::npos);
  EXPECT_EQ(fake.calls.size(), 3u);
}

}  // namespace
}  // namespace ec2m
