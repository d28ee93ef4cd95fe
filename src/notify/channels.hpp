#pragma once

#include <string>
#include <vector>

#include "auth/keyring.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/store.hpp"
#include "notify/channel.hpp"

namespace ec2m::notify {

// The channels, as store documents (collection "channels", keyed by name, the body ToJson's
// unmasked form with its secrets — webhook URLs, webhook secrets, SMTP passwords, GitHub tokens —
// sealed with the key file when there is one, so a copy of the database or of a backup does not
// hold them). Every call reads the store, so replicas sharing one see the same channels.
// Thread-safe if the store is; borrows everything.
class Channels {
 public:
  Channels(Store& store, const Clock& clock, const auth::KeyRing* keys = nullptr,
           Random* random = nullptr)
      : store_(store), clock_(clock), keys_(keys), random_(random) {}

  // Stores a new channel, stamped with the clock's time and `actor`. Errors: kAlreadyExists
  // naming it; the store's.
  Result<Channel> Add(Channel channel, const std::string& actor);
  // Errors: kNotFound ("no channel named \"x\""); kInternal for a document that does not parse.
  Result<Channel> Get(const std::string& name);
  // Every channel, by name. Errors: the store's; kInternal naming a document that does not parse.
  Result<std::vector<Channel>> List();
  // Errors: kNotFound; the store's.
  Result<void> Remove(const std::string& name);

 private:
  // The stored document of `channel`, its secrets sealed, and back.
  std::string Encode(const Channel& channel) const;
  Result<Channel> Decode(const Doc& doc) const;

  Store& store_;
  const Clock& clock_;
  const auth::KeyRing* keys_;  // null: secrets stored as they are (tests)
  Random* random_;             // for the seals' nonces; set with keys_
};

}  // namespace ec2m::notify
