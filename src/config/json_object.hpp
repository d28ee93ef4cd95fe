#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"

// Strict reading of JSON input — config files and REST API bodies — with errors that name where
// the problem is: "ec2m.json: $.store.type: expected one of sqlite, postgres, got \"mysql\"".
namespace ec2m::config {

// One JSON object being read. Every getter names a key; a key that is present with the wrong
// type is an error; Finish() then rejects every key no getter asked about, so a misspelt setting
// is an error instead of being ignored. Copies share the parsed document. Not thread-safe.
class JsonObject {
 public:
  // Parses `text`, which must hold one JSON object. `source` names it in errors ("ec2m.json",
  // "request body"). Errors: kInvalidArgument ("ec2m.json: line 3, column 5: ...").
  static Result<JsonObject> Parse(std::string_view text, std::string source);

  // A required string / a string that may be absent (nullopt).
  Result<std::string> String(std::string_view key);
  Result<std::optional<std::string>> OptString(std::string_view key);
  // An absent key gives `fallback`; a present one must be a string from `allowed` when non-empty.
  Result<std::string> StringOr(std::string_view key, std::string fallback,
                               const std::vector<std::string>& allowed = {});
  // An integer in [min, max].
  Result<std::optional<int64_t>> OptInt(std::string_view key, int64_t min, int64_t max);
  // The same into `out`, which keeps its value when the key is absent.
  Result<void> ReadInt(std::string_view key, int64_t min, int64_t max, int& out);
  Result<std::optional<bool>> OptBool(std::string_view key);
  // Any finite JSON number.
  Result<std::optional<double>> OptNumber(std::string_view key);
  Result<std::optional<JsonObject>> OptObject(std::string_view key);
  // An array of objects, each read at "$.key[i]"; absent gives an empty vector.
  Result<std::vector<JsonObject>> Objects(std::string_view key);
  Result<std::optional<std::vector<std::string>>> OptStrings(std::string_view key);
  // An object whose values are all strings.
  Result<std::optional<std::map<std::string, std::string>>> OptStringMap(std::string_view key);

  // Fails on the first key (in key order) that no getter asked about, listing those that
  // were asked about: "$.stor: unknown key (expected one of data_dir, listen, store)".
  Result<void> Finish() const;

  // "ec2m.json: $.store.type" — for errors the caller finds itself (a bad value's meaning).
  std::string Where(std::string_view key) const;
  Unexpected<Error> Invalid(std::string_view key, std::string_view problem) const;

 private:
  JsonObject(std::shared_ptr<const nlohmann::json> root, const nlohmann::json* node,
             std::string source, std::string path);
  // The value at `key`, or null when absent; records the key as known.
  const nlohmann::json* Find(std::string_view key);

  std::shared_ptr<const nlohmann::json> root_;  // keeps `node_` alive
  const nlohmann::json* node_;
  std::string source_;
  std::string path_;  // "$", "$.store"
  std::set<std::string, std::less<>> known_;
};

// "a string", "a number", "an object", ... — what a JSON value is, for messages.
std::string JsonTypeName(const nlohmann::json& value);

}  // namespace ec2m::config
