#include "notify/channel.hpp"
#include "core/text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace ec2m::notify {
namespace {

constexpr std::array<std::pair<ChannelType, std::string_view>, 5> kTypes = {{
    {ChannelType::kSlack, "slack"},
    {ChannelType::kTeams, "teams"},
    {ChannelType::kEmail, "email"},
    {ChannelType::kWebhook, "webhook"},
    {ChannelType::kGithub, "github"},
}};
constexpr size_t kMaxName = 63;
constexpr size_t kMinSecret = 16;
constexpr size_t kShownSecretTail = 4;
constexpr size_t kMaskedBelow = 9;

// scheme://authority/rest → {scheme, authority}; nullopt when there is no "://" or no host.
struct UrlParts {
  std::string scheme;
  std::string authority;
};
std::optional<UrlParts> SplitUrl(std::string_view url) {
  const size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) {
    return std::nullopt;
  }
  const std::string_view rest = url.substr(colon + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (authority.empty() || authority.find_first_of(" \t\r\n") != std::string_view::npos) {
    return std::nullopt;
  }
  return UrlParts{std::string(url.substr(0, colon)), std::string(authority)};
}

Result<std::string> UrlOf(config::JsonObject& body, std::string_view key,
                          const std::vector<std::string_view>& schemes, std::string fallback = {}) {
  auto value = body.OptString(key);
  EC2M_RETURN_IF_ERROR(value);
  if (!value->has_value()) {
    if (fallback.empty()) {
      return body.Invalid(key, "required, missing");
    }
    return fallback;
  }
  const std::string& url = **value;
  auto parts = SplitUrl(url);
  const bool scheme_ok =
      parts && std::find(schemes.begin(), schemes.end(), parts->scheme) != schemes.end();
  if (!scheme_ok) {
    std::string expected;
    for (std::string_view s : schemes) {
      expected += (expected.empty() ? "" : " or ") + std::string(s) + "://";
    }
    return body.Invalid(key, fmt::format("expected a {} URL with a host, got {}", expected,
                                         ShownValue(MaskUrl(url))));
  }
  return url;
}

Result<std::string> Required(config::JsonObject& body, std::string_view key) {
  auto value = body.String(key);
  EC2M_RETURN_IF_ERROR(value);
  if (value->empty()) {
    return body.Invalid(key, "must not be empty");
  }
  return value;
}

bool LooksLikeAddress(std::string_view address) {
  const size_t at = address.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of(" \t\r\n<>,;\"") == std::string_view::npos &&
         address.find('@', at + 1) == std::string_view::npos;
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxName || name.front() == '-' || name.front() == '_') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

bool ValidRepoPart(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

Result<void> ReadEmail(config::JsonObject& body, Channel& c) {
  auto smtp_url = UrlOf(body, "smtp_url", {"smtp", "smtps"});
  EC2M_RETURN_IF_ERROR(smtp_url);
  if (SplitUrl(*smtp_url)->authority.find('@') != std::string::npos) {
    return body.Invalid("smtp_url", "must not carry a user or password (use user and password)");
  }
  c.smtp_url = *smtp_url;
  auto from = Required(body, "from");
  EC2M_RETURN_IF_ERROR(from);
  if (!LooksLikeAddress(*from)) {
    return body.Invalid("from",
                        "expected an address like ec2m@example.com, got " + ShownValue(*from));
  }
  c.from = *from;
  auto to = body.OptStrings("to");
  EC2M_RETURN_IF_ERROR(to);
  if (!to->has_value() || (*to)->empty()) {
    return body.Invalid("to", "expected at least one address");
  }
  for (size_t i = 0; i < (*to)->size(); ++i) {
    if (!LooksLikeAddress((**to)[i])) {
      return body.Invalid(fmt::format("to[{}]", i),
                          "expected an address like ops@example.com, "
                          "got \"" +
                              (**to)[i] + "\"");
    }
  }
  c.to = **to;
  auto user = body.StringOr("user", "");
  EC2M_RETURN_IF_ERROR(user);
  auto password = body.StringOr("password", "");
  EC2M_RETURN_IF_ERROR(password);
  if (!password->empty() && user->empty()) {
    return body.Invalid("user", "required with a password");
  }
  c.user = *user;
  c.password = *password;
  return {};
}

Result<void> ReadGithub(config::JsonObject& body, Channel& c) {
  auto api = UrlOf(body, "api_url", {"https", "http"}, kDefaultGithubApi);
  EC2M_RETURN_IF_ERROR(api);
  c.api_url = *api;
  while (!c.api_url.empty() && c.api_url.back() == '/') {
    c.api_url.pop_back();
  }
  auto repo = Required(body, "repo");
  EC2M_RETURN_IF_ERROR(repo);
  const size_t slash = repo->find('/');
  if (slash == std::string::npos || !ValidRepoPart(repo->substr(0, slash)) ||
      !ValidRepoPart(repo->substr(slash + 1))) {
    return body.Invalid("repo", "expected OWNER/NAME, got " + ShownValue(*repo));
  }
  c.repo = *repo;
  auto token = Required(body, "token");
  EC2M_RETURN_IF_ERROR(token);
  c.token = *token;
  return {};
}

Result<ChannelFilter> ReadFilter(config::JsonObject& body) {
  ChannelFilter f;
  auto object = body.OptObject("filter");
  EC2M_RETURN_IF_ERROR(object);
  if (!object->has_value()) {
    return f;
  }
  config::JsonObject& filter = **object;
  auto envs = filter.OptStrings("environments");
  EC2M_RETURN_IF_ERROR(envs);
  f.environments = envs->value_or(std::vector<std::string>{});
  auto kinds = filter.OptStrings("kinds");
  EC2M_RETURN_IF_ERROR(kinds);
  f.kinds = kinds->value_or(std::vector<std::string>{});
  for (size_t i = 0; i < f.kinds.size(); ++i) {
    const auto& known = KnownKinds();
    if (std::find(known.begin(), known.end(), f.kinds[i]) == known.end()) {
      std::string list;
      for (const std::string& k : known) {
        list += (list.empty() ? "" : ", ") + k;
      }
      return filter.Invalid(fmt::format("kinds[{}]", i), fmt::format("expected one of {}, got {}",
                                                                     list, ShownValue(f.kinds[i])));
    }
  }
  auto severity = filter.StringOr("min_severity", "", {"info", "warning", "critical"});
  EC2M_RETURN_IF_ERROR(severity);
  f.min_severity = *severity;
  EC2M_RETURN_IF_ERROR(filter.Finish());
  return f;
}

}  // namespace

std::string_view ChannelTypeName(ChannelType type) {
  for (const auto& [t, name] : kTypes) {
    if (t == type) {
      return name;
    }
  }
  return "webhook";
}

std::optional<ChannelType> ParseChannelType(std::string_view name) {
  for (const auto& [t, n] : kTypes) {
    if (n == name) {
      return t;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>& KnownKinds() {
  static const std::vector<std::string> kKinds = {
      "alarm",      "incident", "incident.opened", "incident.resolved", "incident.escalated",
      "deployment", "test"};
  return kKinds;
}

std::optional<int> SeverityRank(std::string_view severity) {
  if (severity == "info") {
    return 0;
  }
  if (severity == "warning") {
    return 1;
  }
  if (severity == "critical") {
    return 2;
  }
  return std::nullopt;
}

Result<Channel> ParseChannel(config::JsonObject& body, bool stored) {
  Channel c;
  auto name = body.String("name");
  EC2M_RETURN_IF_ERROR(name);
  if (!ValidName(*name)) {
    return body.Invalid("name",
                        "expected 1..63 of a-z, 0-9, - and _, starting with a letter or "
                        "digit, got " +
                            ShownValue(*name));
  }
  c.name = *name;
  auto type_name = body.String("type");
  EC2M_RETURN_IF_ERROR(type_name);
  auto type = ParseChannelType(*type_name);
  if (!type) {
    return body.Invalid("type", "expected one of slack, teams, email, webhook, github, got " +
                                    ShownValue(*type_name));
  }
  c.type = *type;
  switch (c.type) {
    case ChannelType::kSlack:
    case ChannelType::kTeams: {
      auto url = UrlOf(body, "url", {"https", "http"});
      EC2M_RETURN_IF_ERROR(url);
      c.url = *url;
      break;
    }
    case ChannelType::kWebhook: {
      auto url = UrlOf(body, "url", {"https", "http"});
      EC2M_RETURN_IF_ERROR(url);
      c.url = *url;
      auto secret = body.String("secret");
      EC2M_RETURN_IF_ERROR(secret);
      if (secret->size() < kMinSecret) {
        return body.Invalid("secret", fmt::format("expected at least {} characters, got {}",
                                                  kMinSecret, secret->size()));
      }
      c.secret = *secret;
      break;
    }
    case ChannelType::kEmail:
      EC2M_RETURN_IF_ERROR(ReadEmail(body, c));
      break;
    case ChannelType::kGithub:
      EC2M_RETURN_IF_ERROR(ReadGithub(body, c));
      break;
  }
  auto filter = ReadFilter(body);
  EC2M_RETURN_IF_ERROR(filter);
  c.filter = std::move(*filter);
  if (stored) {
    auto created_at = body.StringOr("created_at", "");
    EC2M_RETURN_IF_ERROR(created_at);
    auto created_by = body.StringOr("created_by", "");
    EC2M_RETURN_IF_ERROR(created_by);
    c.created_at = *created_at;
    c.created_by = *created_by;
  }
  EC2M_RETURN_IF_ERROR(body.Finish());
  return c;
}

std::string MaskSecret(std::string_view secret) {
  if (secret.empty()) {
    return "";
  }
  if (secret.size() < kMaskedBelow) {
    return "****";
  }
  return "****" + std::string(secret.substr(secret.size() - kShownSecretTail));
}

std::string MaskUrl(std::string_view url) {
  auto parts = SplitUrl(url);
  if (!parts) {
    return "****";
  }
  std::string authority = parts->authority;
  if (const size_t at = authority.rfind('@'); at != std::string::npos) {
    authority = "****@" + authority.substr(at + 1);
  }
  const bool has_path = parts->scheme.size() + 3 + parts->authority.size() < url.size();
  return parts->scheme + "://" + authority + (has_path ? "/****" : "");
}

nlohmann::json ToJson(const Channel& c, bool masked) {
  nlohmann::json j = {{"name", c.name}, {"type", std::string(ChannelTypeName(c.type))}};
  auto secret = [masked](const std::string& s) { return masked ? MaskSecret(s) : s; };
  switch (c.type) {
    case ChannelType::kSlack:
    case ChannelType::kTeams:
      j["url"] = masked ? MaskUrl(c.url) : c.url;
      break;
    case ChannelType::kWebhook:
      j["url"] = masked ? MaskUrl(c.url) : c.url;
      j["secret"] = secret(c.secret);
      break;
    case ChannelType::kEmail:
      j["smtp_url"] = c.smtp_url;
      j["from"] = c.from;
      j["to"] = c.to;
      if (!c.user.empty()) {
        j["user"] = c.user;
        j["password"] = secret(c.password);
      }
      break;
    case ChannelType::kGithub:
      j["api_url"] = c.api_url;
      j["repo"] = c.repo;
      j["token"] = secret(c.token);
      break;
  }
  nlohmann::json filter = nlohmann::json::object();
  if (!c.filter.environments.empty()) {
    filter["environments"] = c.filter.environments;
  }
  if (!c.filter.kinds.empty()) {
    filter["kinds"] = c.filter.kinds;
  }
  if (!c.filter.min_severity.empty()) {
    filter["min_severity"] = c.filter.min_severity;
  }
  j["filter"] = filter;
  if (!c.created_at.empty()) {
    j["created_at"] = c.created_at;
  }
  if (!c.created_by.empty()) {
    j["created_by"] = c.created_by;
  }
  return j;
}

bool Matches(const ChannelFilter& filter, const Notification& n) {
  const auto has = [](const std::vector<std::string>& list, const std::string& value) {
    return std::find(list.begin(), list.end(), value) != list.end();
  };
  if (!filter.environments.empty() && !has(filter.environments, n.environment)) {
    return false;
  }
  if (!filter.kinds.empty()) {
    const std::string family = n.kind.substr(0, n.kind.find('.'));
    if (!has(filter.kinds, n.kind) && !(family != n.kind && has(filter.kinds, family))) {
      return false;
    }
  }
  if (!filter.min_severity.empty()) {
    const int rank = SeverityRank(n.severity).value_or(0);
    if (rank < SeverityRank(filter.min_severity).value_or(0)) {
      return false;
    }
  }
  return true;
}

bool TakesKind(ChannelType type, std::string_view kind) {
  return type != ChannelType::kGithub || kind == "deployment" || kind == "test";
}

}  // namespace ec2m::notify
