#include "sim/codec.hpp"

namespace ec2m::sim {

void Encoder::PutU64(uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void Encoder::PutString(std::string_view s) {
  PutU64(s.size());
  out_.append(s);
}

bool Decoder::GetU64(uint64_t& v) {
  v = 0;
  for (int shift = 0; ok_ && shift < 64; shift += 7) {
    if (pos_ >= in_.size()) {
      ok_ = false;
      break;
    }
    const auto byte = static_cast<uint8_t>(in_[pos_++]);
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      return true;
    }
  }
  ok_ = false;
  return false;
}

bool Decoder::GetI64(int64_t& v) {
  uint64_t u = 0;
  const bool got = GetU64(u);
  v = static_cast<int64_t>(u);
  return got;
}

bool Decoder::GetInt(int& v) {
  int64_t wide = 0;
  const bool got = GetI64(wide);
  v = static_cast<int>(wide);
  return got;
}

bool Decoder::GetBool(bool& v) {
  uint64_t u = 0;
  const bool got = GetU64(u);
  v = u != 0;
  return got;
}

bool Decoder::GetString(std::string& s) {
  uint64_t n = 0;
  if (!GetU64(n) || n > in_.size() - pos_) {
    ok_ = false;
    return false;
  }
  s.assign(in_.substr(pos_, n));
  pos_ += n;
  return true;
}

}  // namespace ec2m::sim
