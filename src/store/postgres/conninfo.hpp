#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace ec2m::store::pg {

// A libpq connection string (a postgresql:// URI or "key=value ..." pairs) checked once, with
// what error messages may say about it. The password never appears in display() or in anything
// Scrub() returns. Immutable, so thread-safe.
class ConnInfo {
 public:
  // Errors: kInvalidArgument naming libpq's reason (with the password removed) when `conninfo`
  // does not parse or its port is not a number.
  static Result<ConnInfo> Parse(std::string conninfo);

  // The string as given, for libpq only: it may hold the password.
  const std::string& conninfo() const { return conninfo_; }
  // Where it points, for messages: "postgresql://user@host:port/dbname", without the password.
  const std::string& display() const { return display_; }

  // `message` on one line, with every secret of the connection string (and the string itself)
  // replaced by "***", so a driver message can be passed on as it is.
  std::string Scrub(std::string_view message) const;

 private:
  ConnInfo(std::string conninfo, std::string display, std::vector<std::string> secrets)
      : conninfo_(std::move(conninfo)),
        display_(std::move(display)),
        secrets_(std::move(secrets)) {}

  std::string conninfo_;
  std::string display_;
  std::vector<std::string> secrets_;  // longest first, so a secret inside another goes with it
};

}  // namespace ec2m::store::pg
