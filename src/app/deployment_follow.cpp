#include "app/deployment_follow.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "cli/exit_codes.hpp"

namespace ec2m::app {
namespace {

constexpr auto kFollowEvery = std::chrono::milliseconds(500);

}  // namespace

bool DeploymentEnded(const std::string& state) {
  return state == "succeeded" || state == "rolled_back" || state == "failed" ||
         state == "rejected" || state == "aborted";
}

int ExitForDeployment(const std::string& state) {
  if (state == "succeeded") {
    return 0;
  }
  return state == "rejected" || state == "aborted" ? cli::kExitChangeStopped
                                                   : cli::kExitChangeFailed;
}

Followed FollowDeployment(ApiClient& client, const std::string& id, int timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  size_t shown = 0;
  for (;;) {
    auto d = client.Call("GET", "/api/v1/deployments/" + UrlEncode(id));
    if (!d) {
      return {nullptr, cli::ReportError(d.error())};
    }
    const nlohmann::json& events = (*d)["events"];
    for (; shown < events.size(); ++shown) {
      const nlohmann::json& e = events[shown];
      std::printf("%s  %-17s %s\n", JsonField(e, "at").c_str(), JsonField(e, "state").c_str(),
                  JsonField(e, "message").c_str());
    }
    std::fflush(stdout);
    const std::string state = JsonField(*d, "state");
    if (DeploymentEnded(state)) {
      std::printf("%s %s%s\n", id.c_str(), state.c_str(),
                  JsonField(*d, "reason").empty() ? "" : (": " + JsonField(*d, "reason")).c_str());
      return {std::move(*d), ExitForDeployment(state)};
    }
    if (timeout_seconds > 0 && std::chrono::steady_clock::now() >= deadline) {
      std::fprintf(stderr, "ec2m: %s is still %s after %d s (--timeout)\n", id.c_str(),
                   state.c_str(), timeout_seconds);
      return {nullptr, cli::kExitWaitTimedOut};
    }
    std::this_thread::sleep_for(kFollowEvery);
  }
}

}  // namespace ec2m::app
