#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace ec2m::auth {

// The control plane's own keys, kept outside the database (a 0600 file in the data dir, or a path
// in the settings) so that a copy or a rewrite of the database alone can neither read the secrets
// it holds nor forge the audit chain's head. Each key is 32 random bytes with an id ("k1", "k2",
// ...); the newest is current: it seals and signs, while older ones still open and verify what they
// made, so rotation never strands data. Purposes ("secrets", "audit") get their own subkeys
// (HMAC-SHA256 of the key over the purpose), so no key does two jobs.
//
// Immutable once loaded: thread-safe.
class KeyRing {
 public:
  // Reads the key file at `path`; when there is none, creates it (mode 0600; its folder 0700 if
  // it has to be made) holding one fresh key from `random`. Errors: kInvalidArgument naming the
  // file when it does not parse, holds no key, or can be read or written by others (mode wider
  // than 0600); kUnavailable when it cannot be written.
  static Result<KeyRing> LoadOrCreate(const std::string& path, Random& random, TimePoint now);
  // The same without creating: kNotFound when there is no file.
  static Result<KeyRing> Load(const std::string& path);
  // Adds a fresh key to the file at `path` (written whole to a temporary file, then renamed) and
  // returns its id; it becomes current at the next load. Errors: as LoadOrCreate.
  static Result<std::string> Rotate(const std::string& path, Random& random, TimePoint now);
  // A ring of one key of the given bytes (tests). REQUIRES: key.size() == 32.
  static KeyRing ForTesting(std::string key);

  const std::string& current_id() const { return keys_.back().id; }
  size_t size() const { return keys_.size(); }

  // "k2:<hex HMAC-SHA256>": `data` signed with the current key's `purpose` subkey.
  std::string Mac(std::string_view purpose, std::string_view data) const;
  // Whether `tag` is a Mac of `data` made with any key of the ring (compared in constant time).
  bool VerifyMac(std::string_view purpose, std::string_view data, std::string_view tag) const;

  // "ec2m-sealed:k2:<base64 of nonce, ciphertext and tag>": `plaintext` encrypted with AES-256-GCM
  // under the current key's `purpose` subkey, with `context` (what the value is of, e.g.
  // "user alice@example.com mfa_secret") as associated data, so a sealed value copied into
  // another record does not open there. A fresh 96-bit nonce from `random` each time.
  std::string Seal(std::string_view purpose, std::string_view plaintext, std::string_view context,
                   Random& random) const;
  // The plaintext of a Seal. Errors: kInternal when the key id is not in the ring, or the value
  // was altered or belongs to another context.
  Result<std::string> Open(std::string_view purpose, std::string_view sealed,
                           std::string_view context) const;
  // Whether `text` has Seal's form (stored values written before sealing existed do not).
  static bool IsSealed(std::string_view text);

 private:
  struct Key {
    std::string id;
    std::string created_at;
    std::string bytes;  // 32
  };
  explicit KeyRing(std::vector<Key> keys) : keys_(std::move(keys)) {}
  const Key* Find(std::string_view id) const;
  static std::string Subkey(const Key& key, std::string_view purpose);
  static Result<std::vector<Key>> Read(const std::string& path);
  static Result<void> Write(const std::string& path, const std::vector<Key>& keys);
  static Key NewKey(size_t number, Random& random, TimePoint now);

  std::vector<Key> keys_;  // oldest first; never empty
};

}  // namespace ec2m::auth
