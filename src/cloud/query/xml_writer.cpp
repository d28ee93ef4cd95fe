#include "cloud/query/xml_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "core/utf8.hpp"

namespace ec2m::query {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Bytes that cannot be copied as they are: markup characters, C0 controls (tab, LF and CR are
// then let through), and every byte of a multi-byte UTF-8 sequence (validated). Quotes only need
// escaping in attribute values; in text EC2 sends them as they are.
constexpr std::array<bool, 256> MakeSpecial(bool attribute) {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c < 0x20 || c >= 0x80 || c == '&' || c == '<' || c == '>' ||
           (attribute && (c == '"' || c == '\''));
  }
  return t;
}
constexpr std::array<bool, 256> kSpecialInText = MakeSpecial(false);
constexpr std::array<bool, 256> kSpecialInAttribute = MakeSpecial(true);

size_t FirstSpecial(std::string_view s, size_t from, const std::array<bool, 256>& special) {
  for (size_t i = from; i < s.size(); ++i) {
    if (special[static_cast<unsigned char>(s[i])]) {
      return i;
    }
  }
  return s.size();
}

// Length of the UTF-8 sequence starting at s[i] when it is well-formed and an XML character
// (U+FFFE and U+FFFF are not), else 0.
size_t XmlCharLength(std::string_view s, size_t i) {
  const size_t len = Utf8SequenceLength(s, i);
  if (len == 3 && static_cast<unsigned char>(s[i]) == 0xEF &&
      static_cast<unsigned char>(s[i + 1]) == 0xBF &&
      static_cast<unsigned char>(s[i + 2]) >= 0xBE) {
    return 0;
  }
  return len;
}

// Escapes text[i], a special byte, into `put`; returns how many input bytes it consumed.
template <typename Put>
size_t EscapeOne(std::string_view text, size_t i, Put put) {
  const char c = text[i];
  switch (c) {
    case '&':
      put("&amp;");
      return 1;
    case '<':
      put("&lt;");
      return 1;
    case '>':
      put("&gt;");
      return 1;
    case '"':
      put("&quot;");
      return 1;
    case '\'':
      put("&apos;");
      return 1;
    case '\t':
    case '\n':
    case '\r':
      put(std::string_view(&text[i], 1));
      return 1;
    default:
      break;
  }
  if (static_cast<unsigned char>(c) >= 0x80) {
    if (const size_t len = XmlCharLength(text, i); len > 0) {
      put(text.substr(i, len));
      return len;
    }
  }
  put(kReplacement);
  return 1;
}

// Copies runs of plain bytes and escapes the rest, through `put`.
template <typename Put>
void Escape(std::string_view text, const std::array<bool, 256>& table, Put put) {
  size_t i = 0;
  while (i < text.size()) {
    const size_t special = FirstSpecial(text, i, table);
    if (special > i) {
      put(text.substr(i, special - i));
    }
    if (special == text.size()) {
      return;
    }
    i = special + EscapeOne(text, special, put);
  }
}

}  // namespace

void XmlWriter::AppendEscaped(std::string& out, std::string_view text) {
  Escape(text, kSpecialInText, [&out](std::string_view s) { out.append(s); });
}

void XmlWriter::GrowSlow(size_t n) { buf_.resize(std::max(buf_.size() * 2, len_ + n + 256)); }

void XmlWriter::PutEscaped(std::string_view text) {
  Escape(text, kSpecialInText, [this](std::string_view s) { Put(s); });
}

std::string XmlWriter::Take() {
  buf_.resize(len_);
  len_ = 0;
  return std::move(buf_);
}

void XmlWriter::TakeInto(std::string& out) {
  if (!out.empty()) {
    out.append(buf_.data(), len_);
    len_ = 0;
    return;
  }
  buf_.resize(len_);
  out.swap(buf_);
  len_ = 0;
  buf_.resize(buf_.capacity());
}

void XmlWriter::Declaration() { Put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"); }

void XmlWriter::Open(std::string_view name) {
  char* p = Grow(name.size() + 2);
  p[0] = '<';
  std::memcpy(p + 1, name.data(), name.size());
  p[name.size() + 1] = '>';
}

void XmlWriter::Open(std::string_view name, std::string_view xmlns) {
  Put("<");
  Put(name);
  Put(" xmlns=\"");
  Escape(xmlns, kSpecialInAttribute, [this](std::string_view s) { Put(s); });
  Put("\">");
}

void XmlWriter::Close(std::string_view name) {
  char* p = Grow(name.size() + 3);
  p[0] = '<';
  p[1] = '/';
  std::memcpy(p + 2, name.data(), name.size());
  p[name.size() + 2] = '>';
}

void XmlWriter::Empty(std::string_view name) {
  char* p = Grow(name.size() + 3);
  p[0] = '<';
  std::memcpy(p + 1, name.data(), name.size());
  p[name.size() + 1] = '/';
  p[name.size() + 2] = '>';
}

void XmlWriter::Text(std::string_view name, std::string_view text) {
  if (FirstSpecial(text, 0, kSpecialInText) != text.size()) {
    Open(name);
    PutEscaped(text);
    Close(name);
    return;
  }
  // The common case, plain text: one reservation, three copies.
  const size_t n = name.size();
  char* p = Grow(2 * n + 5 + text.size());
  p[0] = '<';
  std::memcpy(p + 1, name.data(), n);
  p[n + 1] = '>';
  p += n + 2;
  if (!text.empty()) {
    std::memcpy(p, text.data(), text.size());
  }
  p += text.size();
  p[0] = '<';
  p[1] = '/';
  std::memcpy(p + 2, name.data(), n);
  p[n + 2] = '>';
}

void XmlWriter::TextIfSet(std::string_view name, std::string_view text) {
  if (!text.empty()) {
    Text(name, text);
  }
}

void XmlWriter::Int(std::string_view name, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 bytes hold any int64
  Text(name, std::string_view(buf, static_cast<size_t>(end - buf)));
}

void XmlWriter::Double(std::string_view name, double value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  Text(name, ec == std::errc() ? std::string_view(buf, static_cast<size_t>(end - buf)) : "");
}

void XmlWriter::Bool(std::string_view name, bool value) { Text(name, value ? "true" : "false"); }

}  // namespace ec2m::query
