#include "server/tag_rules.hpp"

#include <fmt/core.h>

#include "core/text.hpp"
#include "server/inventory.hpp"

namespace ec2m::server {

bool IsProtectedTag(std::string_view key) {
  return key == kEnvironmentTag || key == "ManagedBy" || key.starts_with("ec2m:");
}

Result<void> CheckTagChange(const User& user, const std::string& env,
                            const std::vector<std::string>& keys) {
  const std::optional<Role> held = user.RoleIn(env);
  if (held && RoleAllows(*held, kProtectedTagRole)) {
    return {};
  }
  for (const std::string& key : keys) {
    if (IsProtectedTag(key)) {
      return Fail(ErrorCode::kPermissionDenied,
                  fmt::format("tag {} is one ec2m manages instances by: changing or removing it "
                              "needs the {} or admin role in {}; {} has {}",
                              ShownValue(key), RoleName(kProtectedTagRole), env, user.email,
                              held ? std::string(RoleName(*held)) : "no role there"));
    }
  }
  return {};
}

}  // namespace ec2m::server
