// Arbitrary bytes as a REST request body, read the way handlers read one (config::JsonObject):
// deep, wide, huge and non-UTF-8 input must neither crash, recurse without bound nor come back in
// an error message. The message invariant: an error names its place and a short value at most.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/json_object.hpp"
#include "core/json.hpp"

namespace {

// Longer messages than this would carry the input back (the longest fixed text plus a 40-byte
// shown value and a JSON path of bounded depth).
constexpr size_t kMaxMessage = 1024;

void Check(const ec2m::Error& e) {
  if (e.message.size() > kMaxMessage) {
    std::abort();
  }
  (void)ec2m::DumpJson(nlohmann::json{{"message", e.message}});
}

template <typename R>
void Read(R&& result) {
  if (!result) {
    Check(result.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = ec2m::config::JsonObject::Parse(text, "request body");
  if (!body) {
    Check(body.error());
    return 0;
  }
  Read(body->String("email"));
  Read(body->StringOr("otp", "", {"a", "b"}));
  Read(body->OptInt("expires_in_days", 1, 366));
  Read(body->OptBool("disabled"));
  Read(body->OptNumber("value"));
  Read(body->OptStrings("ids"));
  Read(body->OptStringMap("roles"));
  auto nested = body->OptObject("filter");
  Read(nested);
  if (nested && *nested) {
    Read((*nested)->OptStrings("environments"));
    Read((*nested)->Finish());
  }
  auto items = body->Objects("data");
  Read(items);
  if (items) {
    for (auto& item : *items) {
      Read(item.String("metric"));
      Read(item.OptNumber("value"));
      Read(item.OptStringMap("dimensions"));
      Read(item.Finish());
    }
  }
  Read(body->Finish());
  return 0;
}
