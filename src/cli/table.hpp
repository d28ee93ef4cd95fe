#pragma once

#include <string>
#include <vector>

namespace ec2m::cli {

// Output formats every listing command offers (--output).
enum class OutputFormat { kTable, kJson, kText };

// Parses "table" | "json" | "text"; false for anything else.
bool ParseOutputFormat(const std::string& text, OutputFormat& format);

// Columns padded to their widest cell, headers in capitals, two spaces apart.
std::string RenderTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);
// One line per row, cells separated by tabs (for cut and awk), no header.
std::string RenderText(const std::vector<std::vector<std::string>>& rows);

}  // namespace ec2m::cli
