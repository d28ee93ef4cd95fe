#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ec2m::query {

// Builds an XML document by appending to one buffer: no DOM, no element stack, so serializing
// large responses costs little more than copying their text (DescribeInstances of 10,000
// instances, 18.6 MB, in 20-35 ms of CPU in a release build). Element names are trusted (the
// serializers pass literals); text is escaped (&, <, >; quotes too in attributes), and control
// characters XML 1.0 forbids and invalid UTF-8 become U+FFFD, so any input yields well-formed XML.
// Not thread-safe.
class XmlWriter {
 public:
  explicit XmlWriter(size_t reserve = 256) : buf_(reserve, '\0') {}

  // `<?xml version="1.0" encoding="UTF-8"?>`.
  void Declaration();
  // `<name>` / `<name xmlns="ns">`; pair with Close(name).
  void Open(std::string_view name);
  void Open(std::string_view name, std::string_view xmlns);
  void Close(std::string_view name);
  // `<name/>`.
  void Empty(std::string_view name);
  // `<name>escaped text</name>`.
  void Text(std::string_view name, std::string_view text);
  // Text, or nothing when `text` is empty (EC2 omits unset members).
  void TextIfSet(std::string_view name, std::string_view text);
  void Int(std::string_view name, int64_t value);
  void Double(std::string_view name, double value);
  void Bool(std::string_view name, bool value);

  std::string_view view() const { return std::string_view(buf_.data(), len_); }
  // The document; the writer is empty afterwards.
  std::string Take();
  // Appends the document to `out`; the writer is empty afterwards. When `out` is empty the buffers
  // are swapped, and the writer keeps `out`'s old capacity as its room: a writer emptied again and
  // again into a buffer that is cleared in between stops allocating.
  void TakeInto(std::string& out);

  // Appends `text` escaped for XML character data (not for attribute values) to `out`.
  static void AppendEscaped(std::string& out, std::string_view text);

 private:
  // Room for `n` more bytes; returns where they go and counts them as written.
  char* Grow(size_t n) {
    if (len_ + n > buf_.size()) {
      GrowSlow(n);
    }
    char* p = buf_.data() + len_;
    len_ += n;
    return p;
  }
  void GrowSlow(size_t n);
  void Put(std::string_view s) { std::memcpy(Grow(s.size()), s.data(), s.size()); }
  void PutEscaped(std::string_view text);

  std::string buf_;  // bytes [0, len_) are the document; the rest is spare room
  size_t len_ = 0;
};

}  // namespace ec2m::query
