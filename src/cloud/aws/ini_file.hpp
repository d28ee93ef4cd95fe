#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

// The INI dialect of ~/.aws/credentials and ~/.aws/config, as the AWS CLI (botocore) reads it.
namespace ec2m::aws {

// key → value of one section.
using IniSection = std::map<std::string, std::string, std::less<>>;

// A parsed file: section name → its keys. Plain value, no I/O.
struct IniFile {
  std::string path;    // for messages; "" for text parsed from memory
  bool exists = true;  // false when ReadIniFile found no file (then `sections` is empty)
  std::map<std::string, IniSection, std::less<>> sections;

  // The section, or nullptr.
  const IniSection* Find(std::string_view section) const;
};

// Parses `text`. Rules (botocore's): lines whose first non-blank character is '#' or ';' are
// comments (no inline comments: a value keeps any '#' it contains); `[name]` opens a section, the
// name trimmed; `key = value` (or `key: value`, split at the first '=' or ':') with key and value
// trimmed, keys lower-cased as configparser does; an indented line below a key continues it and
// is dropped (so nested sub-sections such as `s3 =` followed by indented `key = value` lines are
// ignored); a repeated section is merged into the first, later keys winning.
// Errors: kInvalidArgument "<path>:<line>: ..." for a key before any section or a line that is
// neither; the message never quotes the line (it may hold a secret).
Result<IniFile> ParseIni(std::string_view text, std::string_view path);

// Reads and parses `path`. A file that does not exist is not an error: it yields exists=false.
// Errors: those of ParseIni; kInvalidArgument naming the path when it exists but cannot be read.
Result<IniFile> ReadIniFile(const std::string& path);

}  // namespace ec2m::aws
