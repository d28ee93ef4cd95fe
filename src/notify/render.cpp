#include "notify/render.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "core/text.hpp"

namespace ec2m::notify {
namespace {

constexpr std::array<const char*, 6> kPayloadOrder = {"environment", "status", "branch",
                                                      "author",      "commit", "workflow_url"};
constexpr size_t kSlackMaxFields = 10;  // Slack refuses a section with more
constexpr size_t kSlackMaxText = 2900;  // of 3000 per text object
constexpr size_t kGithubMaxDescription = 140;
constexpr const char* kUserAgent = "ec2m-notify/1";
constexpr const char* kGithubApiVersion = "2022-11-28";

std::string Clip(const std::string& text, size_t max) {
  if (text.size() <= max) {
    return text;
  }
  size_t cut = max - 3;
  // Never split a UTF-8 sequence: step back over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
    --cut;
  }
  return text.substr(0, cut) + "...";
}

std::string SeverityOf(const Notification& n) { return n.severity.empty() ? "info" : n.severity; }

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80U; });
}

// A header value on one line: CR and LF would let a title inject headers.
std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\r', ' ');
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// RFC 2047 encoded-words for a non-ASCII header value, each under 76 characters and never
// splitting a UTF-8 sequence.
std::string EncodeHeader(const std::string& text) {
  if (IsAscii(text)) {
    return text;
  }
  constexpr size_t kChunk = 39;  // 39 bytes → 52 base64 characters + 12 of framing
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + kChunk);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) {
      --end;
    }
    out += (out.empty() ? "" : "\r\n ") + std::string("=?UTF-8?B?") +
           Base64Encode(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// "Tue, 01 Dec 2026 10:00:00 +0000" (RFC 5322 date-time, always UTC).
std::string MailDate(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 64> buf{};
  const size_t n = std::strftime(buf.data(), buf.size(), "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return std::string(buf.data(), n);
}

// The id as the local part of a Message-ID: RFC 5322's dot-atom text, anything else as '_'.
std::string MessageIdPart(const std::string& id) {
  std::string out;
  for (char c : id) {
    const bool atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
    out += atext ? c : '_';
  }
  return out.empty() ? "_" : out;
}

std::string Field(const Notification& n, const std::string& key) {
  auto it = n.fields.find(key);
  return it == n.fields.end() ? "" : it->second;
}

}  // namespace

nlohmann::json NotificationJson(const Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"environment", n.environment},
          {"severity", n.severity},
          {"title", n.title},
          {"text", n.text},
          {"fields", n.fields},
          {"channels", n.channels}};
}

Result<Notification> NotificationFromJson(const nlohmann::json& j) {
  Notification n;
  try {
    n.id = j.at("id").get<std::string>();
    n.kind = j.at("kind").get<std::string>();
    n.environment = j.at("environment").get<std::string>();
    n.severity = j.at("severity").get<std::string>();
    n.title = j.at("title").get<std::string>();
    n.text = j.at("text").get<std::string>();
    n.fields = j.at("fields").get<std::map<std::string, std::string>>();
    n.channels = j.at("channels").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("notification: ") + e.what());
  }
  return n;
}

std::vector<std::pair<std::string, std::string>> PayloadFields(const Notification& n) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* key : kPayloadOrder) {
    std::string value = Field(n, key);
    if (value.empty() && std::string_view(key) == "environment") {
      value = n.environment;
    }
    if (!value.empty()) {
      out.emplace_back(key, value);
    }
  }
  for (const auto& [key, value] : n.fields) {
    if (std::find(kPayloadOrder.begin(), kPayloadOrder.end(), key) == kPayloadOrder.end()) {
      out.emplace_back(key, value);
    }
  }
  return out;
}

std::string SlackBody(const Notification& n) {
  const std::string severity = SeverityOf(n);
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& [key, value] : PayloadFields(n)) {
    if (fields.size() == kSlackMaxFields) {
      break;
    }
    const std::string shown = key == "workflow_url" ? "<" + value + "|workflow run>" : value;
    fields.push_back({{"type", "mrkdwn"}, {"text", Clip("*" + key + "*\n" + shown, 2000)}});
  }
  nlohmann::json blocks = nlohmann::json::array();
  blocks.push_back(
      {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", Clip(n.title, 150)}}}});
  if (!n.text.empty()) {
    blocks.push_back({{"type", "section"},
                      {"text", {{"type", "mrkdwn"}, {"text", Clip(n.text, kSlackMaxText)}}}});
  }
  if (!fields.empty()) {
    blocks.push_back({{"type", "section"}, {"fields", fields}});
  }
  blocks.push_back(
      {{"type", "context"},
       {"elements",
        nlohmann::json::array({{{"type", "mrkdwn"},
                                {"text", fmt::format("{} · {} · {}", severity, n.kind, n.id)}}})}});
  const nlohmann::json body = {
      {"text", Clip(fmt::format("[{}] {}", severity, n.title), kSlackMaxText)}, {"blocks", blocks}};
  return body.dump();
}

std::string TeamsBody(const Notification& n) {
  const std::string severity = SeverityOf(n);
  const std::string colour = severity == "critical"  ? "D93F0B"
                             : severity == "warning" ? "FBCA04"
                                                     : "0E8A16";
  nlohmann::json facts = nlohmann::json::array();
  for (const auto& [key, value] : PayloadFields(n)) {
    facts.push_back({{"name", key}, {"value", value}});
  }
  facts.push_back({{"name", "severity"}, {"value", severity}});
  facts.push_back({{"name", "id"}, {"value", n.id}});
  nlohmann::json card = {{"@type", "MessageCard"},
                         {"@context", "https://schema.org/extensions"},
                         {"summary", n.title},
                         {"themeColor", colour},
                         {"title", n.title},
                         {"text", n.text.empty() ? n.title : n.text},
                         {"sections", nlohmann::json::array({{{"facts", facts}}})}};
  if (const std::string url = Field(n, "workflow_url"); !url.empty()) {
    card["potentialAction"] = nlohmann::json::array(
        {{{"@type", "OpenUri"},
          {"name", "View workflow run"},
          {"targets", nlohmann::json::array({{{"os", "default"}, {"uri", url}}})}}});
  }
  return card.dump();
}

std::string EmailMessage(const Channel& channel, const Notification& n, TimePoint now) {
  std::string to;
  for (const std::string& address : channel.to) {
    to += (to.empty() ? "" : ", ") + address;
  }
  std::string m;
  m += "Date: " + MailDate(now) + "\r\n";
  m += "From: " + OneLine(channel.from) + "\r\n";
  m += "To: " + OneLine(to) + "\r\n";
  m += "Subject: " + EncodeHeader(OneLine(n.title)) + "\r\n";
  m += "Message-ID: <" + MessageIdPart(n.id) + "@ec2m>\r\n";
  m += "X-Ec2m-Notification-Id: " + OneLine(n.id) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n";
  m += "\r\n";
  std::string body = n.text.empty() ? n.title : n.text;
  body += "\n\n";
  for (const auto& [key, value] : PayloadFields(n)) {
    body += key + ": " + value + "\n";
  }
  body += "severity: " + SeverityOf(n) + "\nnotification: " + n.id + "\n";
  // Bare LFs become CRLF; bare CRs are dropped (SMTP takes only CRLF line ends).
  for (char c : body) {
    if (c == '\n') {
      m += "\r\n";
    } else if (c != '\r') {
      m += c;
    }
  }
  return m;
}

std::string WebhookSignature(const std::string& secret, const std::string& timestamp,
                             const std::string& body) {
  return "sha256=" + HexEncode(HmacSha256(secret, timestamp + "." + body));
}

Headers WebhookHeaders(const Channel& channel, const Notification& n, const std::string& body,
                       TimePoint now) {
  const std::string timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  return {{"Content-Type", "application/json"},
          {"User-Agent", kUserAgent},
          {"X-Ec2m-Delivery", OneLine(n.id)},
          {"X-Ec2m-Timestamp", timestamp},
          {"X-Ec2m-Signature", WebhookSignature(channel.secret, timestamp, body)}};
}

Result<std::string> GithubState(const Notification& n) {
  const std::string status = Field(n, "status");
  for (const char* state : {"success", "failure", "error", "in_progress", "queued", "pending"}) {
    if (status == state) {
      return status;
    }
  }
  if (status == "cancelled") {
    return std::string("error");
  }
  return Fail(ErrorCode::kInvalidArgument,
              "fields.status: expected success, failure, cancelled, error, in_progress, queued or "
              "pending for a GitHub deployment status, got " +
                  ShownValue(status));
}

Result<std::string> GithubDeploymentBody(const Notification& n) {
  std::string ref = Field(n, "commit");
  if (ref.empty()) {
    ref = Field(n, "branch");
  }
  if (ref.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "fields.commit: a GitHub deployment needs a commit or a branch");
  }
  const std::string environment = n.environment.empty() ? Field(n, "environment") : n.environment;
  const nlohmann::json body = {{"ref", ref},
                               {"environment", environment.empty() ? "production" : environment},
                               {"auto_merge", false},
                               {"required_contexts", nlohmann::json::array()},
                               {"task", "deploy"},
                               {"description", Clip(n.title, kGithubMaxDescription)},
                               {"payload", {{"ec2m_notification", n.id}}}};
  return body.dump();
}

Result<std::string> GithubStatusBody(const Notification& n) {
  auto state = GithubState(n);
  EC2M_RETURN_IF_ERROR(state);
  nlohmann::json body = {{"state", *state}, {"description", Clip(n.title, kGithubMaxDescription)}};
  if (const std::string url = Field(n, "workflow_url"); !url.empty()) {
    body["log_url"] = url;
  }
  const std::string environment = n.environment.empty() ? Field(n, "environment") : n.environment;
  if (!environment.empty()) {
    body["environment"] = environment;
  }
  return body.dump();
}

Headers GithubHeaders(const Channel& channel) {
  return {{"Accept", "application/vnd.github+json"},
          {"Authorization", "Bearer " + channel.token},
          {"X-GitHub-Api-Version", kGithubApiVersion},
          {"User-Agent", kUserAgent},
          {"Content-Type", "application/json"}};
}

}  // namespace ec2m::notify
