#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

// Every JSON text ec2m reads — REST bodies, config files, stored documents, answers of other
// services — is parsed here, with bounded nesting: nlohmann's parser is iterative, but dumping,
// comparing or copying a value recurses, so a value nested 200,000 deep would overflow the stack.
namespace ec2m {

// How deep objects and arrays may nest: ec2m's own documents go 6 deep at most.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text` as one JSON value. `source` names it in errors ("request body", "ec2m.json",
// "stored user alice@example.com"). Errors (kInvalidArgument), never quoting the text:
// "SOURCE: not valid JSON: line 3, column 5: syntax error while parsing object key";
// "SOURCE: nested deeper than 64 levels (at line 1, column 65)".
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view source,
                                 int max_depth = kMaxJsonDepth);

// The same for a document ec2m wrote itself: its errors are kInternal (a stored record that does
// not parse is damage, not a client's mistake).
Result<nlohmann::json> ParseStoredJson(std::string_view text, std::string_view source);

// The lenient form for documents whose callers check the shape themselves: the value, or a
// discarded value (is_discarded()) when `text` does not parse or nests deeper than kMaxJsonDepth.
nlohmann::json ParseJsonOrDiscard(std::string_view text);

// Whether `text` opens more than `max_depth` levels of arrays and objects (strings skipped).
bool JsonNestsDeeperThan(std::string_view text, int max_depth);

// value.dump(), with invalid UTF-8 in strings replaced by U+FFFD instead of throwing.
std::string DumpJson(const nlohmann::json& value);

}  // namespace ec2m
