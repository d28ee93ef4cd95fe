#include "cli/table.hpp"

#include <gtest/gtest.h>

namespace ec2m::cli {
namespace {

TEST(TableTest, PadsColumnsToTheWidestCell) {
  EXPECT_EQ(RenderTable({"ID", "STATE"}, {{"i-1", "running"}, {"i-12345", "stopped"}}),
            "ID       STATE\n"
            "i-1      running\n"
            "i-12345  stopped\n");
  EXPECT_EQ(RenderTable({"ID"}, {}), "ID\n");
}

TEST(TableTest, TextIsTabSeparated) {
  EXPECT_EQ(RenderText({{"a", "b"}, {"c", ""}}), "a\tb\nc\t\n");
}

TEST(TableTest, ParsesOutputFormats) {
  EXPECT_EQ(ParseOutputFormat("json").value(), OutputFormat::kJson);
  EXPECT_EQ(ParseOutputFormat("table").value(), OutputFormat::kTable);
  EXPECT_EQ(ParseOutputFormat("text").value(), OutputFormat::kText);
  auto bad = ParseOutputFormat("yaml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "--output: expected table, json or text, got \"yaml\"");
}

}  // namespace
}  // namespace ec2m::cli
