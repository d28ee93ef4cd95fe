#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ec2m::sim {

// A compact binary encoding for the sim's persisted records: little-endian varints and
// length-prefixed strings. Chosen over JSON because restart must decode 100,000 instances in well
// under a second. Not thread-safe; one per record.
class Encoder {
 public:
  void PutU64(uint64_t v);
  void PutI64(int64_t v) { PutU64(static_cast<uint64_t>(v)); }
  void PutBool(bool v) { PutU64(v ? 1 : 0); }
  void PutString(std::string_view s);
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Encoder wrote. Every getter returns false once the input is exhausted or malformed,
// and stays failed, so callers can read a whole record and check ok() once.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool GetU64(uint64_t& v);
  bool GetI64(int64_t& v);
  bool GetInt(int& v);
  bool GetBool(bool& v);
  bool GetString(std::string& s);
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace ec2m::sim
