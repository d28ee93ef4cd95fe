#include "cloud/aws/environment.hpp"

#include <cstdlib>

namespace ec2m::aws {

std::string MapEnvironment::Get(std::string_view name) const {
  auto it = vars_.find(name);
  return it == vars_.end() ? std::string() : it->second;
}

namespace {

class RealEnvironment : public Environment {
 public:
  std::string Get(std::string_view name) const override {
    const char* value = std::getenv(std::string(name).c_str());
    return value == nullptr ? std::string() : std::string(value);
  }
};

}  // namespace

const Environment& ProcessEnvironment() {
  static const RealEnvironment env;
  return env;
}

}  // namespace ec2m::aws
