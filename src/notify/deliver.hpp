#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"
#include "notify/channel.hpp"
#include "notify/transport.hpp"

namespace ec2m::notify {

// How one attempt to deliver ended.
struct Outcome {
  bool delivered = false;
  // The failure will not pass on a later attempt (a 4xx other than 408/425/429, an SMTP 5xx, a
  // notification the channel cannot render): the outbox gives up at once.
  bool permanent = false;
  std::string error;  // names the receiver (its URL masked) and what it said
};

// GitHub's two steps need their state kept between attempts: the deployment created by the
// first step, so a retry posts only the status instead of creating a second deployment.
struct GithubProgress {
  int64_t deployment_id = 0;  // 0: not created yet
  // Called with the new deployment's id before its status is posted; when it fails (the outbox
  // lost its claim), the attempt stops there.
  std::function<Result<void>(int64_t)> remember;
};

// Renders `n` for `channel` and sends it through `transport` at `now`: a POST of the Slack,
// Teams or webhook body; a mail; for GitHub, a deployment (unless progress says one exists) and
// its status for "deployment", a read of the repository for "test". Never throws.
Outcome Deliver(const Channel& channel, const Notification& n, Transport& transport, TimePoint now,
                GithubProgress& github);

// How an HTTP answer reads as an outcome: 2xx delivered; no answer, 408, 425, 429 and 5xx worth
// retrying; any other status permanent. `what` names the request in the error.
Outcome FromHttp(const aws::HttpResult& result, const std::string& what);

}  // namespace ec2m::notify
