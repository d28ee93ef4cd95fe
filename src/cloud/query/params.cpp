#include "cloud/query/params.hpp"

#include "core/digest.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

#include <algorithm>
#include <charconv>

namespace ec2m::query {

namespace {

constexpr size_t kMaxEchoedValue = 200;

Result<std::string> DecodeComponent(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      const int hi = i + 2 < in.size() ? HexDigitValue(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? HexDigitValue(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Fail(
            ErrorCode::kInvalidArgument,
            "Invalid percent-encoding at offset " + std::to_string(i) + " of a form component",
            "MalformedQueryString");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return out;
}

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

void EncodeComponent(std::string_view in, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c)) {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// Parses a canonical list index ("1".."999999999") at the start of `s`; returns 0 if there is
// none and sets `len` to the digits consumed.
int ParseIndex(std::string_view s, size_t& len) {
  len = 0;
  if (s.empty() || s[0] < '1' || s[0] > '9') {
    return 0;
  }
  int n = 0;
  while (len < s.size() && s[len] >= '0' && s[len] <= '9') {
    if (len == 9) {
      return 0;
    }
    n = n * 10 + (s[len] - '0');
    ++len;
  }
  return n;
}

std::string Shorten(std::string_view value) {
  if (value.size() <= kMaxEchoedValue) {
    return std::string(value);
  }
  return std::string(value.substr(0, kMaxEchoedValue)) + "...";
}

}  // namespace

void Params::Set(std::string key, std::string value) {
  map_.insert_or_assign(std::move(key), std::move(value));
}

const std::string* Params::Find(std::string_view key) const {
  auto it = map_.find(key);
  return it == map_.end() ? nullptr : &it->second;
}

std::string Params::Get(std::string_view key) const {
  const std::string* v = Find(key);
  return v ? *v : std::string();
}

std::optional<std::string> Params::GetOptional(std::string_view key) const {
  const std::string* v = Find(key);
  if (!v) {
    return std::nullopt;
  }
  return *v;
}

Result<std::string> Params::GetRequired(std::string_view key) const {
  const std::string* v = Find(key);
  if (!v || v->empty()) {
    return MissingParameter(key);
  }
  return *v;
}

Result<std::optional<bool>> Params::GetBool(std::string_view key) const {
  const std::string* v = Find(key);
  if (!v) {
    return std::optional<bool>();
  }
  if (*v == "true") {
    return std::optional<bool>(true);
  }
  if (*v == "false") {
    return std::optional<bool>(false);
  }
  return InvalidValue(key, *v, "expected 'true' or 'false'");
}

Result<bool> Params::GetBool(std::string_view key, bool fallback) const {
  auto v = GetBool(key);
  if (!v) {
    return Fail(std::move(v).error());
  }
  return v->value_or(fallback);
}

Result<std::optional<int>> Params::GetInt(std::string_view key, int64_t min, int64_t max) const {
  const std::string* v = Find(key);
  if (!v) {
    return std::optional<int>();
  }
  int64_t n = 0;
  const char* end = v->data() + v->size();
  auto [ptr, ec] = std::from_chars(v->data(), end, n);
  if (v->empty() || ec != std::errc() || ptr != end) {
    return InvalidValue(key, *v, "expected an integer");
  }
  if (n < min || n > max) {
    return InvalidValue(
        key, *v, "expected a value from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return std::optional<int>(static_cast<int>(n));
}

std::vector<int> Params::Indices(std::string_view prefix) const {
  std::vector<int> out;
  std::string start(prefix);
  start += '.';
  for (auto it = map_.lower_bound(start); it != map_.end(); ++it) {
    std::string_view key = it->first;
    if (key.substr(0, start.size()) != start) {
      break;
    }
    std::string_view rest = key.substr(start.size());
    size_t len = 0;
    const int n = ParseIndex(rest, len);
    if (n > 0 && (len == rest.size() || rest[len] == '.')) {
      out.push_back(n);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> Params::GetList(std::string_view prefix) const {
  std::vector<std::string> out;
  for (int n : Indices(prefix)) {
    if (const std::string* v = Find(ItemKey(prefix, n))) {
      out.push_back(*v);
    }
  }
  return out;
}

std::string ItemKey(std::string_view prefix, int n) {
  std::string key(prefix);
  key += '.';
  key += std::to_string(n);
  return key;
}

Result<Params> ParseForm(std::string_view body) {
  Params params;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    if (amp == std::string_view::npos) {
      amp = body.size();
    }
    std::string_view pair = body.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) {
      continue;
    }
    const size_t eq = pair.find('=');
    auto key = DecodeComponent(pair.substr(0, eq));
    if (!key) {
      return Fail(std::move(key).error());
    }
    std::string value;
    if (eq != std::string_view::npos) {
      auto decoded = DecodeComponent(pair.substr(eq + 1));
      if (!decoded) {
        return Fail(std::move(decoded).error());
      }
      value = std::move(*decoded);
    }
    // Everything a request names is stored as text (tags, descriptions) and answered in XML:
    // bytes that are not UTF-8 are refused here, before any action sees them.
    if (!IsValidUtf8(*key) || !IsValidUtf8(value)) {
      const bool named = IsValidUtf8(*key) && ShownValue(*key).front() == '"';
      return Fail(ErrorCode::kInvalidArgument,
                  (named ? "The value of parameter " + *key : std::string("A parameter name")) +
                      " is not valid UTF-8",
                  "InvalidParameterValue");
    }
    if (!key->empty()) {
      params.Set(std::move(*key), std::move(value));
    }
  }
  return params;
}

std::string EncodeForm(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params.map()) {
    if (!out.empty()) {
      out += '&';
    }
    EncodeComponent(key, out);
    out += '=';
    EncodeComponent(value, out);
  }
  return out;
}

Unexpected<Error> MissingParameter(std::string_view name) {
  return Fail(ErrorCode::kInvalidArgument,
              "The request must contain the parameter " + std::string(name), "MissingParameter");
}

Unexpected<Error> InvalidValue(std::string_view name, std::string_view value,
                               std::string_view why) {
  std::string message = "Invalid value '";
  message += Shorten(value);
  message += "' for parameter ";
  message += name;
  message += ": ";
  message += why;
  return Fail(ErrorCode::kInvalidArgument, std::move(message), "InvalidParameterValue");
}

}  // namespace ec2m::query
