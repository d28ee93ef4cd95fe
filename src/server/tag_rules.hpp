#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "server/identity.hpp"

// Which of an instance's tags a user may change through the REST API (and so the CLI's
// `instances tag` and the console's tag editor). Plain functions; thread-safe.
namespace ec2m::server {

// The role that may change or remove a protected tag (admin allows it too).
inline constexpr Role kProtectedTagRole = Role::kDeployer;

// Whether ec2m relies on the tag `key`: "Environment" (which environment an instance is in),
// "ManagedBy" (that ec2m manages it) and every "ec2m:" key (its logical id, the hashes plans
// compare, the deployment and release that launched it). Exact and case-sensitive, as EC2's keys.
bool IsProtectedTag(std::string_view key);

// Whether `user` may change or remove the tags `keys` of an instance in `env`: a protected tag
// needs kProtectedTagRole (or admin) there. Errors: kPermissionDenied naming the first protected
// key, the role that may change it and the role the user holds. Checked before anything is sent
// to the cloud, so a refused change changes no tag at all.
Result<void> CheckTagChange(const User& user, const std::string& env,
                            const std::vector<std::string>& keys);

}  // namespace ec2m::server
