#include "notify/channel.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ec2m::notify {
namespace {

Result<Channel> Parse(const nlohmann::json& body) {
  auto object = config::JsonObject::Parse(body.dump(), "request body");
  EXPECT_TRUE(object) << object.error().ToString();
  return ParseChannel(*object);
}

std::string ErrorOf(const nlohmann::json& body) {
  auto c = Parse(body);
  EXPECT_FALSE(c) << body.dump();
  return c ? "" : c.error().message;
}

TEST(ChannelTest, EachTypeTakesItsSettings) {
  auto slack = Parse({{"name", "ops"}, {"type", "slack"}, {"url", "https://hooks.slack.com/x"}});
  ASSERT_TRUE(slack) << slack.error().ToString();
  EXPECT_EQ(slack->type, ChannelType::kSlack);
  EXPECT_EQ(slack->url, "https://hooks.slack.com/x");

  auto mail = Parse({{"name", "prod-mail"},
                     {"type", "email"},
                     {"smtp_url", "smtp://mail.example.com:587"},
                     {"from", "ec2m@example.com"},
                     {"to", {"ops@example.com", "lead@example.com"}},
                     {"filter", {{"environments", {"prod"}}, {"min_severity", "warning"}}}});
  ASSERT_TRUE(mail) << mail.error().ToString();
  EXPECT_EQ(mail->to.size(), 2u);
  EXPECT_EQ(mail->filter.environments, std::vector<std::string>{"prod"});
  EXPECT_EQ(mail->filter.min_severity, "warning");

  auto github = Parse({{"name", "gh"}, {"type", "github"}, {"repo", "acme/web"}, {"token", "t"}});
  ASSERT_TRUE(github) << github.error().ToString();
  EXPECT_EQ(github->api_url, kDefaultGithubApi);

  auto hook = Parse({{"name", "hook_1"},
                     {"type", "webhook"},
                     {"url", "http://127.0.0.1:9/in"},
                     {"secret", "0123456789abcdef"}});
  ASSERT_TRUE(hook) << hook.error().ToString();
}

TEST(ChannelTest, ErrorsNameTheField) {
  EXPECT_EQ(ErrorOf({{"name", "Ops!"}, {"type", "slack"}, {"url", "https://h/x"}}),
            "request body: $.name: expected 1..63 of a-z, 0-9, - and _, starting with a letter or "
            "digit, got \"Ops!\"");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "sms"}}),
            "request body: $.type: expected one of slack, teams, email, webhook, github, got "
            "\"sms\"");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "teams"}}), "request body: $.url: required, missing");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "teams"}, {"url", "ftp://x/y"}}),
            "request body: $.url: expected a https:// or http:// URL with a host, got "
            "\"ftp://x/****\"");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "webhook"}, {"url", "https://h/"}, {"secret", "s"}}),
            "request body: $.secret: expected at least 16 characters, got 1");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "slack"}, {"url", "https://h/x"}, {"token", "t"}}),
            "request body: $.token: unknown key (expected one of filter, name, type, url)");
  EXPECT_EQ(ErrorOf({{"name", "a"},
                     {"type", "email"},
                     {"smtp_url", "smtp://h:25"},
                     {"from", "x@y"},
                     {"to", {"nobody"}}}),
            "request body: $.to[0]: expected an address like ops@example.com, got \"nobody\"");
  EXPECT_EQ(ErrorOf({{"name", "a"},
                     {"type", "email"},
                     {"smtp_url", "smtp://u:p@h:25"},
                     {"from", "x@y"},
                     {"to", {"a@b"}}}),
            "request body: $.smtp_url: must not carry a user or password (use user and password)");
  EXPECT_EQ(ErrorOf({{"name", "a"},
                     {"type", "email"},
                     {"smtp_url", "smtp://h:25"},
                     {"from", "x@y"},
                     {"to", {"a@b"}},
                     {"password", "p"}}),
            "request body: $.user: required with a password");
  EXPECT_EQ(ErrorOf({{"name", "a"}, {"type", "github"}, {"repo", "acme"}, {"token", "t"}}),
            "request body: $.repo: expected OWNER/NAME, got \"acme\"");
  EXPECT_EQ(ErrorOf({{"name", "a"},
                     {"type", "slack"},
                     {"url", "https://h/x"},
                     {"filter", {{"kinds", {"alarm", "page"}}}}}),
            "request body: $.filter.kinds[1]: expected one of alarm, incident, incident.opened, "
            "incident.resolved, incident.escalated, deployment, test, got \"page\"");
  EXPECT_NE(ErrorOf({{"name", "a"},
                     {"type", "slack"},
                     {"url", "https://h/x"},
                     {"filter", {{"min_severity", "high"}}}})
                .find("$.filter.min_severity"),
            std::string::npos);
}

TEST(ChannelTest, SecretsAreMaskedWhenShown) {
  Channel hook;
  hook.name = "hook";
  hook.type = ChannelType::kWebhook;
  hook.url = "https://hooks.example.com/services/T000/B000/XXXXSECRET";
  hook.secret = "0123456789abcdef";
  const nlohmann::json shown = ToJson(hook, true);
  EXPECT_EQ(shown["url"], "https://hooks.example.com/****");
  EXPECT_EQ(shown["secret"], "****cdef");
  EXPECT_EQ(shown.dump().find("XXXXSECRET"), std::string::npos);
  EXPECT_EQ(ToJson(hook, false)["secret"], hook.secret);

  Channel gh;
  gh.name = "gh";
  gh.type = ChannelType::kGithub;
  gh.api_url = kDefaultGithubApi;
  gh.repo = "acme/web";
  gh.token = "short";
  EXPECT_EQ(ToJson(gh, true)["token"], "****");
  EXPECT_EQ(MaskUrl("http://user:pw@host:8080"), "http://****@host:8080");
  EXPECT_EQ(MaskUrl("not a url"), "****");
}

TEST(ChannelTest, StoredFormRoundTrips) {
  auto mail = Parse({{"name", "m"},
                     {"type", "email"},
                     {"smtp_url", "smtps://mail.example.com"},
                     {"from", "ec2m@example.com"},
                     {"to", {"ops@example.com"}},
                     {"user", "ec2m"},
                     {"password", "hunter2hunter2"},
                     {"filter", {{"kinds", {"incident"}}}}});
  ASSERT_TRUE(mail) << mail.error().ToString();
  auto stored = config::JsonObject::Parse(ToJson(*mail, false).dump(), "channel m");
  ASSERT_TRUE(stored);
  auto again = ParseChannel(*stored, true);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(ToJson(*again, false), ToJson(*mail, false));
  EXPECT_EQ(again->password, "hunter2hunter2");
}

TEST(ChannelTest, FiltersByEnvironmentKindAndSeverity) {
  Notification n;
  n.kind = "incident.opened";
  n.environment = "prod";
  n.severity = "warning";
  EXPECT_TRUE(Matches({}, n));
  EXPECT_TRUE(Matches({{"prod"}, {}, ""}, n));
  EXPECT_FALSE(Matches({{"dev"}, {}, ""}, n));
  EXPECT_TRUE(Matches({{}, {"incident"}, ""}, n));
  EXPECT_TRUE(Matches({{}, {"incident.opened"}, ""}, n));
  EXPECT_FALSE(Matches({{}, {"incident.resolved", "alarm"}, ""}, n));
  EXPECT_TRUE(Matches({{}, {}, "warning"}, n));
  EXPECT_FALSE(Matches({{}, {}, "critical"}, n));
  n.kind = "alarm";
  EXPECT_FALSE(Matches({{}, {"incident"}, ""}, n));
  EXPECT_TRUE(TakesKind(ChannelType::kGithub, "deployment"));
  EXPECT_FALSE(TakesKind(ChannelType::kGithub, "alarm"));
  EXPECT_TRUE(TakesKind(ChannelType::kSlack, "alarm"));
}

}  // namespace
}  // namespace ec2m::notify
