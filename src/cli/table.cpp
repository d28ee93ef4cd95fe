#include "cli/table.hpp"

#include <algorithm>
#include <cstdio>

namespace ec2m::cli {

Result<OutputFormat> ParseOutputFormat(const std::string& text) {
  if (text == "table") {
    return OutputFormat::kTable;
  }
  if (text == "json") {
    return OutputFormat::kJson;
  }
  if (text == "text") {
    return OutputFormat::kText;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "--output: expected table, json or text, got \"" + text + "\"");
}

int PrintRows(OutputFormat format, const std::vector<std::string>& headers,
              const std::vector<std::vector<std::string>>& rows) {
  const std::string out =
      format == OutputFormat::kText ? RenderText(rows) : RenderTable(headers, rows);
  std::fputs(out.c_str(), stdout);
  return 0;
}

std::string RenderTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) {
    widths[c] = headers[c].size();
    for (const auto& row : rows) {
      if (c < row.size()) {
        widths[c] = std::max(widths[c], row[c].size());
      }
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      out += cell;
      if (c + 1 < widths.size()) {
        out.append(widths[c] - cell.size() + 2, ' ');
      }
    }
    while (!out.empty() && out.back() == ' ') {
      out.pop_back();
    }
    return out + "\n";
  };
  std::string out = line(headers);
  for (const auto& row : rows) {
    out += line(row);
  }
  return out;
}

std::string RenderText(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      out += c + 1 < row.size() ? "\t" : "\n";
    }
  }
  return out;
}

}  // namespace ec2m::cli
