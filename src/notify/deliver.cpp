#include "notify/deliver.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "core/json.hpp"
#include "notify/render.hpp"

namespace ec2m::notify {
namespace {

constexpr size_t kShownBody = 200;

Outcome Refused(std::string error) { return Outcome{false, true, std::move(error)}; }

Outcome Post(Transport& transport, const std::string& url, const Headers& headers,
             const std::string& body) {
  return FromHttp(transport.Http("POST", url, headers, body), "POST " + MaskUrl(url));
}

Outcome DeliverGithub(const Channel& c, const Notification& n, Transport& transport,
                      GithubProgress& github) {
  const std::string repo_url = c.api_url + "/repos/" + c.repo;
  const Headers headers = GithubHeaders(c);
  if (n.kind == "test") {
    return FromHttp(transport.Http("GET", repo_url, headers, ""), "GET " + repo_url);
  }
  if (n.kind != "deployment") {
    return Refused("a GitHub channel takes deployment and test notifications only, not " + n.kind);
  }
  auto status_body = GithubStatusBody(n);
  if (!status_body) {
    return Refused(status_body.error().message);
  }
  if (github.deployment_id == 0) {
    auto deployment_body = GithubDeploymentBody(n);
    if (!deployment_body) {
      return Refused(deployment_body.error().message);
    }
    const std::string url = repo_url + "/deployments";
    const aws::HttpResult created = transport.Http("POST", url, headers, *deployment_body);
    // 202 is GitHub's "merged the default branch first, no deployment yet": auto_merge is off,
    // so only 201 carries a deployment.
    if (created.status != 201) {
      Outcome o = FromHttp(created, "POST " + url);
      if (o.delivered) {
        o = Outcome{false, false,
                    fmt::format("POST {}: HTTP {} without a deployment", url, created.status)};
      }
      return o;
    }
    auto j = ParseJsonOrDiscard(created.body);
    if (j.is_discarded() || !j.contains("id") || !j["id"].is_number_integer()) {
      return Outcome{false, false, "POST " + url + ": the answer carries no deployment id"};
    }
    github.deployment_id = j["id"].get<int64_t>();
    if (github.remember) {
      if (auto kept = github.remember(github.deployment_id); !kept) {
        return Outcome{false, false,
                       "deployment " + std::to_string(github.deployment_id) +
                           " created but not recorded: " + kept.error().message};
      }
    }
  }
  return Post(transport,
              repo_url + "/deployments/" + std::to_string(github.deployment_id) + "/statuses",
              headers, *status_body);
}

}  // namespace

Outcome FromHttp(const aws::HttpResult& result, const std::string& what) {
  if (result.status >= 200 && result.status < 300) {
    return Outcome{true, false, ""};
  }
  if (result.status == 0) {
    return Outcome{false, false,
                   what + ": " + (result.timed_out ? "timed out" : "no answer") +
                       (result.transport_error.empty() ? "" : " (" + result.transport_error + ")")};
  }
  std::string body = result.body.substr(0, kShownBody);
  for (char& ch : body) {
    if (ch == '\n' || ch == '\r') {
      ch = ' ';
    }
  }
  const bool retry =
      result.status == 408 || result.status == 425 || result.status == 429 || result.status >= 500;
  return Outcome{
      false, !retry,
      fmt::format("{}: HTTP {}{}{}", what, result.status, body.empty() ? "" : ": ", body)};
}

Outcome Deliver(const Channel& c, const Notification& n, Transport& transport, TimePoint now,
                GithubProgress& github) {
  try {
    switch (c.type) {
      case ChannelType::kSlack:
        return Post(transport, c.url, {{"Content-Type", "application/json"}}, SlackBody(n));
      case ChannelType::kTeams:
        return Post(transport, c.url, {{"Content-Type", "application/json"}}, TeamsBody(n));
      case ChannelType::kWebhook: {
        const std::string body = NotificationJson(n).dump();
        return Post(transport, c.url, WebhookHeaders(c, n, body, now), body);
      }
      case ChannelType::kEmail: {
        auto sent = transport.Send(
            Mail{c.smtp_url, c.user, c.password, c.from, c.to, EmailMessage(c, n, now)});
        if (sent) {
          return Outcome{true, false, ""};
        }
        return Outcome{false, sent.error().code == ErrorCode::kFailedPrecondition,
                       sent.error().message};
      }
      case ChannelType::kGithub:
        return DeliverGithub(c, n, transport, github);
    }
  } catch (const std::exception& e) {
    // nlohmann::json throws on invalid UTF-8 in a title or field.
    return Refused(std::string("cannot render: ") + e.what());
  }
  return Refused("unknown channel type");
}

}  // namespace ec2m::notify
