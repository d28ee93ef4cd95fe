#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "config/json_object.hpp"
#include "core/error.hpp"
#include "core/notifier.hpp"

// Channels: where notifications go (a Slack or Teams webhook, a mailbox over SMTP, a signed
// generic webhook, GitHub deployment statuses), each with a filter choosing what it takes.
namespace ec2m::notify {

enum class ChannelType { kSlack, kTeams, kEmail, kWebhook, kGithub };

std::string_view ChannelTypeName(ChannelType type);  // "slack", ...
std::optional<ChannelType> ParseChannelType(std::string_view name);

// What a channel takes. Every list empty and no minimum: everything.
struct ChannelFilter {
  std::vector<std::string> environments;  // exact names
  std::vector<std::string> kinds;         // a kind, or "incident" for every incident.* kind
  std::string min_severity;               // "" | "info" | "warning" | "critical"
};

// One channel with the settings its type needs (the others stay empty). Secrets (`secret`,
// `token`, `password`, the path of a webhook url) are kept whole in the store and masked
// whenever the channel is shown (ToJson with masked = true).
struct Channel {
  std::string name;  // 1..63 of a-z, 0-9, '-' and '_', starting with a letter or digit
  ChannelType type = ChannelType::kWebhook;
  std::string url;              // slack, teams, webhook: where to POST
  std::string secret;           // webhook: the HMAC-SHA256 key of X-Ec2m-Signature
  std::string smtp_url;         // email: smtp://host:port or smtps://host:port
  std::string from;             // email
  std::vector<std::string> to;  // email: one or more addresses
  std::string user;             // email: optional SMTP login
  std::string password;         // email: with `user`
  std::string api_url;          // github: the REST API's base (default https://api.github.com)
  std::string repo;             // github: owner/name
  std::string token;            // github: a token that may create deployments
  ChannelFilter filter;
  std::string created_at;
  std::string created_by;
};

inline constexpr const char* kDefaultGithubApi = "https://api.github.com";

// Reads and validates a channel from `body`: "name", "type", the keys of its type and "filter";
// with `stored` (a document of the store) also "created_at" and "created_by". Any other key is
// an error. Errors: kInvalidArgument naming the key ("request body: $.url: expected a https://
// or http:// URL with a host, got \"x\"").
Result<Channel> ParseChannel(config::JsonObject& body, bool stored = false);

// The channel as JSON: every setting whole (masked = false, for the store) or with its secrets
// masked (for the API and the CLI).
nlohmann::json ToJson(const Channel& channel, bool masked);

// "****" and the last 4 characters of a secret longer than 8; "****" for a shorter one.
std::string MaskSecret(std::string_view secret);
// "https://hooks.slack.com/****": a URL with its path, query and any user info hidden (a
// Slack, Teams or webhook URL's path is its credential).
std::string MaskUrl(std::string_view url);

// Whether `filter` takes `n` (its kind, environment and severity).
bool Matches(const ChannelFilter& filter, const Notification& n);

// Whether a channel of `type` can render notifications of `kind` at all: a GitHub channel takes
// "deployment" (a deployment status) and "test" (a check of its repository and token) only.
bool TakesKind(ChannelType type, std::string_view kind);

// 0 info, 1 warning, 2 critical; nullopt for anything else.
std::optional<int> SeverityRank(std::string_view severity);

// The notification kinds a filter may name.
const std::vector<std::string>& KnownKinds();

}  // namespace ec2m::notify
