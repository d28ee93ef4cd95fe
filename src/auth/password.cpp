#include "auth/password.hpp"

#include <argon2.h>
#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "auth/secure_random.hpp"

namespace ec2m::auth {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

struct EncodedHeader {
  uint32_t version = 0;
  Argon2Params params;
};

// Consumes "<name><decimal><separator>" from the front of `text`.
bool ReadField(std::string_view& text, std::string_view name, char separator, uint32_t& value) {
  if (text.substr(0, name.size()) != name) {
    return false;
  }
  const char* begin = text.data() + name.size();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr == begin || ptr == end || *ptr != separator) {
    return false;
  }
  text.remove_prefix(static_cast<size_t>(ptr - text.data()) + 1);
  return true;
}

// The version and costs of "$argon2id$v=19$m=..,t=..,p=..$..."; nullopt for anything else.
// libargon2 parses the salt and hash itself; this is what it does not expose.
std::optional<EncodedHeader> ParseHeader(std::string_view encoded) {
  if (encoded.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) {
    return std::nullopt;
  }
  std::string_view rest = encoded.substr(kArgon2idPrefix.size());
  EncodedHeader header;
  if (!ReadField(rest, "v=", '$', header.version) ||
      !ReadField(rest, "m=", ',', header.params.memory_kib) ||
      !ReadField(rest, "t=", ',', header.params.iterations) ||
      !ReadField(rest, "p=", '$', header.params.parallelism)) {
    return std::nullopt;
  }
  return header;
}

bool WithinLimits(const Argon2Params& p) {
  return p.iterations >= 1 && p.iterations <= kMaxArgon2Iterations && p.parallelism >= 1 &&
         p.parallelism <= kMaxArgon2Parallelism && p.memory_kib >= 8 * p.parallelism &&
         p.memory_kib <= kMaxArgon2MemoryKib;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, Random& random,
                                 const Argon2Params& params) {
  if (!WithinLimits(params)) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("argon2id parameters m={},t={},p={} are out of range (t 1..{}, p "
                            "1..{}, m 8*p..{} KiB)",
                            params.memory_kib, params.iterations, params.parallelism,
                            kMaxArgon2Iterations, kMaxArgon2Parallelism, kMaxArgon2MemoryKib));
  }
  if (password.size() > ARGON2_MAX_PWD_LENGTH) {
    return Fail(ErrorCode::kInvalidArgument, "password is longer than argon2id accepts");
  }
  const std::string salt = RandomBytes(random, kSaltBytes);
  std::string encoded(argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism,
                                        kSaltBytes, kHashBytes, Argon2_id),
                      '\0');
  const int rc =
      argon2_hash(params.iterations, params.memory_kib, params.parallelism, password.data(),
                  password.size(), salt.data(), salt.size(), nullptr, kHashBytes, encoded.data(),
                  encoded.size(), Argon2_id, ARGON2_VERSION_13);
  if (rc != ARGON2_OK) {
    return Fail(ErrorCode::kInternal,
                std::string("argon2id hashing failed: ") + argon2_error_message(rc));
  }
  // argon2_encodedlen counts the terminating NUL; the string itself ends before it.
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  const auto header = ParseHeader(encoded);
  if (!header || header->version != ARGON2_VERSION_13 || !WithinLimits(header->params) ||
      encoded.find('\0') != std::string_view::npos || password.size() > ARGON2_MAX_PWD_LENGTH) {
    return false;
  }
  const std::string terminated(encoded);  // argon2id_verify takes a C string
  return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool NeedsRehash(std::string_view encoded, const Argon2Params& params) {
  const auto header = ParseHeader(encoded);
  if (!header || header->version != ARGON2_VERSION_13) {
    return true;
  }
  const Argon2Params& have = header->params;
  return have.memory_kib != params.memory_kib || have.iterations != params.iterations ||
         have.parallelism != params.parallelism;
}

}  // namespace ec2m::auth
