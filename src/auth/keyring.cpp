#include "auth/keyring.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "auth/secure_random.hpp"
#include "core/check.hpp"
#include "core/digest.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace ec2m::auth {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kFormat = "ec2m-keys-1";
constexpr std::string_view kSealedPrefix = "ec2m-sealed:";
constexpr size_t kKeyBytes = 32;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

Unexpected<Error> BadFile(const std::string& path, const std::string& problem) {
  return Fail(ErrorCode::kInvalidArgument, path + ": " + problem);
}

// Decodes base64 (RFC 4648, with padding); nullopt when it is not.
std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  // EVP_DecodeBlock counts the padding's bytes as zeros.
  size_t len = static_cast<size_t>(n);
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    --len;
  }
  out.resize(len);
  return out;
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

KeyRing::Key KeyRing::NewKey(size_t number, Random& random, TimePoint now) {
  return Key{fmt::format("k{}", number), FormatIso8601(now), RandomBytes(random, kKeyBytes)};
}

KeyRing KeyRing::ForTesting(std::string key) {
  EC2M_CHECK(key.size() == kKeyBytes, "a test key is 32 bytes");
  return KeyRing({Key{"k1", "", std::move(key)}});
}

Result<std::vector<KeyRing::Key>> KeyRing::Read(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Fail(ErrorCode::kNotFound, path + ": no key file");
  }
  if ((st.st_mode & 0077) != 0) {
    return BadFile(
        path, fmt::format("can be read by others (mode {:o}); chmod 600 it", st.st_mode & 0777));
  }
  auto text = ReadFile(path);
  EC2M_RETURN_IF_ERROR(text);
  auto j = ParseJson(*text, path);
  if (!j) {
    return BadFile(path, "not a key file (not valid JSON)");
  }
  std::vector<Key> keys;
  if (!j->is_object() || j->value("format", "") != kFormat || !(*j)["keys"].is_array()) {
    return BadFile(path, fmt::format("not a key file (expected format {})", kFormat));
  }
  for (const auto& k : (*j)["keys"]) {
    auto bytes = k.is_object() ? HexDecode(k.value("key", "")) : std::nullopt;
    if (!bytes || bytes->size() != kKeyBytes || k.value("id", "").empty()) {
      return BadFile(path,
                     fmt::format("key {} is not 32 bytes in hex with an id", keys.size() + 1));
    }
    keys.push_back({k.value("id", ""), k.value("created_at", ""), std::move(*bytes)});
  }
  if (keys.empty()) {
    return BadFile(path, "holds no key");
  }
  return keys;
}

Result<void> KeyRing::Write(const std::string& path, const std::vector<Key>& keys) {
  nlohmann::json list = nlohmann::json::array();
  for (const Key& k : keys) {
    list.push_back({{"id", k.id}, {"created_at", k.created_at}, {"key", HexEncode(k.bytes)}});
  }
  const std::string text = nlohmann::json{{"format", kFormat}, {"keys", list}}.dump(2) + "\n";
  std::error_code ec;
  const fs::path folder = fs::path(path).parent_path();
  if (!folder.empty() && !fs::exists(folder, ec)) {
    fs::create_directories(folder, ec);
    fs::permissions(folder, fs::perms::owner_all, ec);
  }
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Fail(ErrorCode::kUnavailable, path + ": cannot write the key file");
  }
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Fail(ErrorCode::kUnavailable, path + ": cannot write the key file");
  }
  return {};
}

Result<KeyRing> KeyRing::Load(const std::string& path) {
  auto keys = Read(path);
  EC2M_RETURN_IF_ERROR(keys);
  return KeyRing(std::move(*keys));
}

Result<KeyRing> KeyRing::LoadOrCreate(const std::string& path, Random& random, TimePoint now) {
  auto keys = Read(path);
  if (!keys && keys.error().code == ErrorCode::kNotFound) {
    std::vector<Key> fresh = {NewKey(1, random, now)};
    EC2M_RETURN_IF_ERROR(Write(path, fresh));
    return KeyRing(std::move(fresh));
  }
  EC2M_RETURN_IF_ERROR(keys);
  return KeyRing(std::move(*keys));
}

Result<std::string> KeyRing::Rotate(const std::string& path, Random& random, TimePoint now) {
  auto keys = Read(path);
  EC2M_RETURN_IF_ERROR(keys);
  keys->push_back(NewKey(keys->size() + 1, random, now));
  EC2M_RETURN_IF_ERROR(Write(path, *keys));
  return keys->back().id;
}

const KeyRing::Key* KeyRing::Find(std::string_view id) const {
  for (const Key& k : keys_) {
    if (k.id == id) {
      return &k;
    }
  }
  return nullptr;
}

std::string KeyRing::Subkey(const Key& key, std::string_view purpose) {
  return HmacSha256(key.bytes, "ec2m/" + std::string(purpose));
}

std::string KeyRing::Mac(std::string_view purpose, std::string_view data) const {
  const Key& key = keys_.back();
  return key.id + ":" + HexEncode(HmacSha256(Subkey(key, purpose), data));
}

bool KeyRing::VerifyMac(std::string_view purpose, std::string_view data,
                        std::string_view tag) const {
  const size_t colon = tag.find(':');
  const Key* key = colon == std::string_view::npos ? nullptr : Find(tag.substr(0, colon));
  if (key == nullptr) {
    return false;
  }
  return ConstantTimeEquals(HexEncode(HmacSha256(Subkey(*key, purpose), data)),
                            tag.substr(colon + 1));
}

std::string KeyRing::Seal(std::string_view purpose, std::string_view plaintext,
                          std::string_view context, Random& random) const {
  const Key& key = keys_.back();
  const std::string subkey = Subkey(key, purpose);
  const std::string nonce = RandomBytes(random, kNonceBytes);
  std::string out = nonce + std::string(plaintext.size(), '\0') + std::string(kTagBytes, '\0');
  auto* cipher_text = reinterpret_cast<unsigned char*>(out.data() + kNonceBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  const bool ok =
      ctx &&
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(subkey), Bytes(nonce)) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), cipher_text, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx.get(), cipher_text + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          out.data() + kNonceBytes + plaintext.size()) == 1;
  EC2M_CHECK(ok, "AES-256-GCM encryption failed");
  return std::string(kSealedPrefix) + key.id + ":" + Base64Encode(out);
}

Result<std::string> KeyRing::Open(std::string_view purpose, std::string_view sealed,
                                  std::string_view context) const {
  auto damaged = [] {
    return Fail(ErrorCode::kInternal,
                "a sealed value does not open: altered, moved, or sealed with a key this key file "
                "does not hold");
  };
  if (!IsSealed(sealed)) {
    return damaged();
  }
  const std::string_view rest = sealed.substr(kSealedPrefix.size());
  const size_t colon = rest.find(':');
  const Key* key = colon == std::string_view::npos ? nullptr : Find(rest.substr(0, colon));
  auto raw = key == nullptr ? std::nullopt : Base64Decode(rest.substr(colon + 1));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) {
    return damaged();
  }
  const std::string subkey = Subkey(*key, purpose);
  const size_t text_size = raw->size() - kNonceBytes - kTagBytes;
  std::string plain(text_size, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  std::string tag = raw->substr(kNonceBytes + text_size);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  const bool ok =
      ctx &&
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(subkey), Bytes(*raw)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(context),
                        static_cast<int>(context.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &len, Bytes(*raw) + kNonceBytes,
                        static_cast<int>(text_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes),
                          tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) == 1;
  if (!ok) {
    return damaged();
  }
  return plain;
}

bool KeyRing::IsSealed(std::string_view text) { return text.starts_with(kSealedPrefix); }

}  // namespace ec2m::auth
