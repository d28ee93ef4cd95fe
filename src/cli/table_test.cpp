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
  OutputFormat f = OutputFormat::kText;
  EXPECT_TRUE(ParseOutputFormat("json", f));
  EXPECT_EQ(f, OutputFormat::kJson);
  EXPECT_TRUE(ParseOutputFormat("table", f));
  EXPECT_EQ(f, OutputFormat::kTable);
  EXPECT_FALSE(ParseOutputFormat("yaml", f));
}

}  // namespace
}  // namespace ec2m::cli
