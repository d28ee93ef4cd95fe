#include "core/json.hpp"

#include <fmt/core.h>

namespace ec2m {
namespace {

// Line and column (both from 1) of byte `offset` of `text`.
std::string Position(std::string_view text, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

// The offset of the first '[' or '{' that opens level max_depth + 1, or npos. Strings are
// skipped with their escapes; the text need not be valid JSON (the parser judges that).
size_t TooDeepAt(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        return i;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// nlohmann's message without its prefix and without "; last read: '...'" or "parsing '...'",
// which quote the input.
std::string Problem(const nlohmann::json::exception& e) {
  std::string what = e.what();
  if (const size_t id_end = what.find("] "); what.starts_with("[") && id_end != std::string::npos) {
    what.erase(0, id_end + 2);  // "[json.exception.parse_error.101] "
  }
  if (const size_t colon = what.find(": ");
      what.starts_with("parse error") && colon != std::string::npos) {
    what.erase(0, colon + 2);  // "parse error at line 1, column 5: "
  }
  for (const char* quoting : {"; last read", " parsing '"}) {
    if (const size_t at = what.find(quoting); at != std::string::npos) {
      what.erase(at);
    }
  }
  return what;
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source, int max_depth) {
  if (const size_t at = TooDeepAt(text, max_depth); at != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: nested deeper than {} levels (at {})",
                                                         source, max_depth, Position(text, at)));
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based: the byte where the parser stopped.
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: not valid JSON: {}: {}", source,
                            Position(text, e.byte == 0 ? 0 : e.byte - 1), Problem(e)));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range.406: a number too large for a double ("1e999", a thousand digits).
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: not valid JSON: {}", source, Problem(e)));
  }
}

nlohmann::json ParseJsonOrDiscard(std::string_view text) {
  if (TooDeepAt(text, kMaxJsonDepth) != std::string_view::npos) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  try {
    return nlohmann::json::parse(text, nullptr, false);
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json(nlohmann::json::value_t::discarded);  // a number out of range
  }
}

bool JsonNestsDeeperThan(std::string_view text, int max_depth) {
  return TooDeepAt(text, max_depth) != std::string_view::npos;
}

Result<nlohmann::json> ParseStoredJson(std::string_view text, std::string_view source) {
  auto parsed = ParseJson(text, source);
  if (!parsed) {
    return Fail(ErrorCode::kInternal, parsed.error().message);
  }
  return parsed;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ec2m
