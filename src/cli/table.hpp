#pragma once

#include <string>
#include <vector>

#include "core/error.hpp"

namespace ec2m::cli {

// Output formats every listing command offers (--output).
enum class OutputFormat { kTable, kJson, kText };

// Parses the --output flag: "table" | "json" | "text". Errors: kInvalidArgument naming the flag
// ("--output: expected table, json or text, got \"yaml\"").
Result<OutputFormat> ParseOutputFormat(const std::string& text);

// Columns padded to their widest cell, headers in capitals, two spaces apart.
std::string RenderTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);
// One line per row, cells separated by tabs (for cut and awk), no header.
std::string RenderText(const std::vector<std::vector<std::string>>& rows);
// Prints rows to stdout as RenderText (kText) or RenderTable (otherwise); returns 0, the exit code.
int PrintRows(OutputFormat format, const std::vector<std::string>& headers,
              const std::vector<std::vector<std::string>>& rows);

}  // namespace ec2m::cli
