#pragma once

#include <map>
#include <string>
#include <string_view>

// Where ec2m's AWS settings read environment variables from, as an interface so tests inject them.
namespace ec2m::aws {

// Read-only view of environment variables. An empty value counts as unset, as in the AWS SDKs.
// Implementations are thread-safe for concurrent Get calls.
class Environment {
 public:
  virtual ~Environment() = default;
  // The value of `name`, or "" when it is unset.
  virtual std::string Get(std::string_view name) const = 0;
};

// A fixed set of variables, for tests. Owns its map.
class MapEnvironment : public Environment {
 public:
  explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
      : vars_(std::move(vars)) {}
  std::string Get(std::string_view name) const override;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

// The real process environment (getenv). The returned object lives for the whole program.
// Thread-safe as long as nobody calls setenv/putenv concurrently.
const Environment& ProcessEnvironment();

}  // namespace ec2m::aws
