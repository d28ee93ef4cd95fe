// Request and Response helpers and percent-decoding: plain string work, no Boost.
#include <algorithm>
#include <cctype>

#include "http/server.hpp"

#include <charconv>

#include "core/digest.hpp"
#include "core/text.hpp"

namespace ec2m::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space) {
  if (text.find_first_of(plus_as_space ? std::string_view("%+") : std::string_view("%")) ==
      std::string_view::npos) {
    return std::string(text);  // most paths: nothing to decode
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int high = HexDigitValue(text[i + 1]);
      const int low = HexDigitValue(text[i + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return {};
}

bool Request::HasHeader(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

std::optional<std::string> Request::Query(std::string_view name) const {
  std::string_view rest = raw_query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    const auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) {
      continue;
    }
    if (eq == std::string_view::npos) {
      return std::string();
    }
    auto value = PercentDecode(pair.substr(eq + 1), true);
    if (value) {
      return value;
    }
  }
  return std::nullopt;
}

void Response::Set(std::string name, std::string value) {
  std::erase_if(headers,
                [&name](const auto& header) { return EqualsIgnoreCase(header.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

Result<std::pair<std::string, int>> SplitHostPort(const std::string& text,
                                                  const std::string& what) {
  const size_t colon = text.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(first, last, port);
    if (ec != std::errc() || end != last || first == last) {
      port = -1;
    }
  }
  if (port < 0 || port > 65535) {
    return Fail(ErrorCode::kInvalidArgument,
                what + ": expected HOST:PORT (port 0..65535), got " + ShownValue(text));
  }
  return std::pair(text.substr(0, colon), port);
}

}  // namespace ec2m::http
