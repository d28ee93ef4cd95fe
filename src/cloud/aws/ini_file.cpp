#include "cloud/aws/ini_file.hpp"

#include <cctype>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "core/files.hpp"

namespace ec2m::aws {

const IniSection* IniFile::Find(std::string_view section) const {
  auto it = sections.find(section);
  return it == sections.end() ? nullptr : &it->second;
}

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && IsBlank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Unexpected<Error> LineError(std::string_view path, int line, std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("{}:{}: {}", path.empty() ? "<text>" : path, line, what));
}

}  // namespace

Result<IniFile> ParseIni(std::string_view text, std::string_view path) {
  IniFile file;
  file.path = std::string(path);
  IniSection* section = nullptr;
  bool key_open = false;  // an indented line now continues the last key
  int line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') {
      continue;
    }
    if (key_open && IsBlank(raw.front())) {
      continue;  // a continuation or a nested sub-section line: ec2m reads no nested keys
    }
    if (line.front() == '[') {
      if (line.back() != ']') {
        return LineError(path, line_no, "section header without closing ']'");
      }
      std::string name(Trim(line.substr(1, line.size() - 2)));
      section = &file.sections[name];
      key_open = false;
      continue;
    }
    auto delim = line.find_first_of("=:");
    if (delim == std::string_view::npos || delim == 0) {
      return LineError(path, line_no, "expected '[section]' or 'key = value'");
    }
    if (section == nullptr) {
      return LineError(path, line_no, "key outside of any [section]");
    }
    (*section)[Lower(Trim(line.substr(0, delim)))] = std::string(Trim(line.substr(delim + 1)));
    key_open = true;
  }
  return file;
}

Result<IniFile> ReadIniFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    IniFile missing;
    missing.path = path;
    missing.exists = false;
    return missing;
  }
  auto text = ReadFile(path);
  EC2M_RETURN_IF_ERROR(text);
  return ParseIni(*text, path);
}

}  // namespace ec2m::aws
