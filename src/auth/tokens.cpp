#include "auth/tokens.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>

#include "auth/secure_random.hpp"
#include "core/check.hpp"
#include "core/digest.hpp"

namespace ec2m::auth {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr std::string_view kRecoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
constexpr int kRecoveryGroups = 3;
constexpr int kRecoveryGroupSize = 4;

// RFC 4648 §5 base64url without padding, from the standard alphabet.
std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

// A uniform index below `bound`: draws above the largest multiple of `bound` are rejected, so
// no symbol is likelier than another.
size_t UniformIndex(Random& random, size_t bound) {
  const uint64_t limit =
      std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % bound;
  uint64_t draw = random.Next();
  while (draw >= limit) {
    draw = random.Next();
  }
  return static_cast<size_t>(draw % bound);
}

}  // namespace

std::string NewToken(Random& random, std::string_view prefix) {
  return std::string(prefix) + Base64UrlEncode(RandomBytes(random, kTokenBytes));
}

std::string TokenHash(std::string_view token) { return Sha256Hex(token); }

std::vector<std::string> NewRecoveryCodes(Random& random, int n) {
  EC2M_CHECK(n >= 0, "negative recovery code count");
  std::vector<std::string> codes;
  codes.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::string code;
    for (int group = 0; group < kRecoveryGroups; ++group) {
      if (group > 0) {
        code += '-';
      }
      for (int j = 0; j < kRecoveryGroupSize; ++j) {
        code += kRecoveryAlphabet[UniformIndex(random, kRecoveryAlphabet.size())];
      }
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char c : code) {
    if (c == '-' || c == ' ') {
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string RecoveryCodeHash(std::string_view code) {
  return TokenHash(NormalizeRecoveryCode(code));
}

}  // namespace ec2m::auth
