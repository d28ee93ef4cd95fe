#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ec2m::query {

// The parameters of one EC2 Query request: a flat map from wire name ("Filter.1.Value.2") to its
// decoded value, with readers for the shapes the ec2 protocol flattens into names: `Name.N`
// lists (1-based; gaps allowed, read in order of N), nested structures (`Parent.Child`), booleans,
// integers and required parameters. A value type; not synchronized (share it read-only).
//
// Readers fail with kInvalidArgument and an EC2 code in Error::aws_code: MissingParameter
// ("The request must contain the parameter InstanceId") or InvalidParameterValue naming the
// parameter and the value.
class Params {
 public:
  using Map = std::map<std::string, std::string, std::less<>>;

  Params() = default;
  Params(std::initializer_list<std::pair<const std::string, std::string>> init) : map_(init) {}

  // Sets `key` to `value`, replacing an earlier value: the last occurrence wins, as on EC2.
  void Set(std::string key, std::string value);
  bool Has(std::string_view key) const { return map_.find(key) != map_.end(); }
  // Null when absent. The pointer lives as long as this Params is not modified.
  const std::string* Find(std::string_view key) const;
  // The value, or "" when absent.
  std::string Get(std::string_view key) const;
  std::optional<std::string> GetOptional(std::string_view key) const;
  // MissingParameter when absent or empty.
  Result<std::string> GetRequired(std::string_view key) const;
  // "true" or "false" only; nullopt when absent; InvalidParameterValue otherwise.
  Result<std::optional<bool>> GetBool(std::string_view key) const;
  // The value or `fallback` when absent; InvalidParameterValue on anything but true/false.
  Result<bool> GetBool(std::string_view key, bool fallback) const;
  // A decimal integer in [min, max]; nullopt when absent; InvalidParameterValue otherwise.
  Result<std::optional<int>> GetInt(std::string_view key, int64_t min = INT32_MIN,
                                    int64_t max = INT32_MAX) const;

  // The distinct N of every key `prefix.N` or `prefix.N.<rest>`, ascending. N is a canonical
  // positive decimal below 10^9 ("1", "12"; not "0", "01", "+1"); other keys are not list items.
  std::vector<int> Indices(std::string_view prefix) const;
  // The values of `prefix.N` in order of N (a list of strings: `InstanceId.1`, `InstanceId.2`).
  std::vector<std::string> GetList(std::string_view prefix) const;

  const Map& map() const { return map_; }
  size_t size() const { return map_.size(); }
  bool empty() const { return map_.empty(); }

 private:
  Map map_;
};

// Joins a list prefix and an index: ItemKey("Filter", 2) == "Filter.2".
std::string ItemKey(std::string_view prefix, int n);

// Decodes an application/x-www-form-urlencoded body (or a URL query string): pairs split on '&',
// key and value on the first '=', '+' is a space, %XX a byte (hex digits of either case). Empty
// pairs are skipped; a key without '=' has an empty value; a repeated key keeps its last value.
// Errors: kInvalidArgument, aws_code "MalformedQueryString", on a '%' not followed by two hex
// digits.
Result<Params> ParseForm(std::string_view body);

// Encodes params as a form body in key order, escaping as botocore does (quote_plus: unreserved
// characters kept, space as '+', everything else %XX upper-case). ParseForm(EncodeForm(p)) == p.
std::string EncodeForm(const Params& params);

// Error helpers shared by the request parsers; they build kInvalidArgument errors with aws_code.
// "The request must contain the parameter <name>" (MissingParameter).
Unexpected<Error> MissingParameter(std::string_view name);
// "Invalid value '<value>' for parameter <name>: <why>" (InvalidParameterValue). Long values are
// cut to 200 bytes in the message.
Unexpected<Error> InvalidValue(std::string_view name, std::string_view value, std::string_view why);

}  // namespace ec2m::query
