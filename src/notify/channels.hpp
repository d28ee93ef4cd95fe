#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/store.hpp"
#include "notify/channel.hpp"

namespace ec2m::notify {

// The channels, as store documents (collection "channels", keyed by name, the body ToJson's
// unmasked form). Every call reads the store, so replicas sharing one see the same channels.
// Thread-safe if the store is; borrows the store and the clock.
class Channels {
 public:
  Channels(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

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
  Store& store_;
  const Clock& clock_;
};

}  // namespace ec2m::notify
