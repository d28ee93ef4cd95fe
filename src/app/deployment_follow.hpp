#pragma once

#include <string>

#include "app/api_client.hpp"

// Following a deployment (a release's, or an infrastructure change held for approval) until it
// ends: what `deploy --wait`, `deployments watch` and `provision|rollback --wait` share.
namespace ec2m::app {

// Whether a deployment in `state` has ended.
bool DeploymentEnded(const std::string& state);

// Prints the deployment's events not printed yet, every half second, until it ends or
// `timeout_seconds` (0: no limit) pass. Returns the deployment as it ended, or the exit code to
// end with: a request error's, or cli::kExitWaitTimedOut.
struct Followed {
  nlohmann::json deployment;  // null when `exit_code` says why it was not followed to its end
  int exit_code = 0;
};
Followed FollowDeployment(ApiClient& client, const std::string& id, int timeout_seconds);

// The exit code of a deployment that ended in `state`: 0 succeeded, cli::kExitChangeStopped
// rejected or aborted, cli::kExitChangeFailed otherwise.
int ExitForDeployment(const std::string& state);

}  // namespace ec2m::app
