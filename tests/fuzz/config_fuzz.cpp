// Arbitrary bytes as an environment config and as ec2m.json: the strict readers must refuse what
// is wrong with an error that names it (kInvalidArgument, bounded), never crash or recurse.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/environment.hpp"
#include "config/serve_config.hpp"

namespace {

void Check(const ec2m::Error& e) {
  if (e.code != ec2m::ErrorCode::kInvalidArgument || e.message.size() > 2048) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto env = ec2m::config::ParseEnvironmentConfig(text, "fuzz.json"); !env) {
    Check(env.error());
  }
  if (auto serve = ec2m::config::ParseServeConfig(text, "ec2m.json"); !serve) {
    Check(serve.error());
  }
  return 0;
}
