#include "notify/render.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ec2m::notify {
namespace {

Notification Deployment() {
  Notification n;
  n.id = "deploy-prod-42";
  n.kind = "deployment";
  n.environment = "production";
  n.severity = "info";
  n.title = "Deployed main to production";
  n.text = "The deployment finished.";
  n.fields = {{"status", "success"},
              {"branch", "main"},
              {"author", "developer-name"},
              {"commit", "0123abc"},
              {"workflow_url", "https://github.com/acme/web/actions/runs/1"},
              {"change_set", "cs-prod-7"}};
  return n;
}

const TimePoint kNow = FromUnixMillis(1'795'000'000'000);

TEST(RenderTest, PayloadFieldsComeInTheSpecificationsOrder) {
  const auto fields = PayloadFields(Deployment());
  std::vector<std::string> keys;
  for (const auto& [key, value] : fields) {
    keys.push_back(key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"environment", "status", "branch", "author", "commit",
                                            "workflow_url", "change_set"}));
  EXPECT_EQ(fields.front().second, "production");  // from the notification
}

TEST(RenderTest, SlackHasTextAndBlocksWithThePayload) {
  const auto body = nlohmann::json::parse(SlackBody(Deployment()));
  EXPECT_EQ(body["text"], "[info] Deployed main to production");
  const auto& blocks = body["blocks"];
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0]["type"], "header");
  EXPECT_EQ(blocks[0]["text"]["text"], "Deployed main to production");
  EXPECT_EQ(blocks[1]["text"]["text"], "The deployment finished.");
  const auto& fields = blocks[2]["fields"];
  ASSERT_EQ(fields.size(), 7u);
  EXPECT_EQ(fields[0]["text"], "*environment*\nproduction");
  EXPECT_EQ(fields[4]["text"], "*commit*\n0123abc");
  EXPECT_EQ(fields[5]["text"],
            "*workflow_url*\n<https://github.com/acme/web/actions/runs/1|"
            "workflow run>");
  EXPECT_NE(blocks[3]["elements"][0]["text"].get<std::string>().find("deploy-prod-42"),
            std::string::npos);
}

TEST(RenderTest, TeamsIsAMessageCard) {
  Notification n = Deployment();
  n.severity = "critical";
  const auto card = nlohmann::json::parse(TeamsBody(n));
  EXPECT_EQ(card["@type"], "MessageCard");
  EXPECT_EQ(card["title"], n.title);
  EXPECT_EQ(card["themeColor"], "D93F0B");
  const auto& facts = card["sections"][0]["facts"];
  EXPECT_EQ(facts[0], nlohmann::json({{"name", "environment"}, {"value", "production"}}));
  EXPECT_EQ(facts[3], nlohmann::json({{"name", "author"}, {"value", "developer-name"}}));
  EXPECT_EQ(card["potentialAction"][0]["targets"][0]["uri"],
            "https://github.com/acme/web/actions/runs/1");
}

TEST(RenderTest, EmailIsAnRfc5322Message) {
  Channel c;
  c.from = "ec2m@example.com";
  c.to = {"ops@example.com", "lead@example.com"};
  Notification n = Deployment();
  n.title = "Déploiement\r\nBcc: evil@example.com";
  n.text = "line one\n.line starting with a dot";
  const std::string m = EmailMessage(c, n, kNow);
  EXPECT_NE(m.find("From: ec2m@example.com\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: ops@example.com, lead@example.com\r\n"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: <deploy-prod-42@ec2m>\r\n"), std::string::npos);
  EXPECT_NE(m.find("Date: "), std::string::npos);
  EXPECT_NE(m.find("+0000\r\n"), std::string::npos);
  // A non-ASCII subject is encoded; the CRLF in the title cannot start a header.
  EXPECT_NE(m.find("Subject: =?UTF-8?B?"), std::string::npos) << m;
  EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos) << m;
  const size_t body = m.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  EXPECT_EQ(m.substr(body + 4, 10), "line one\r\n");
  EXPECT_NE(m.find("commit: 0123abc\r\n"), std::string::npos);
  EXPECT_EQ(m.find("\n", 0) - 1, m.find("\r\n"));  // CRLF line ends
}

TEST(RenderTest, WebhookSignatureIsHmacOfTimestampAndBody) {
  // Computed independently: printf '1795000000.{"a":1}' | openssl dgst -sha256 -hmac secret
  EXPECT_EQ(WebhookSignature("secret", "1795000000", R"({"a":1})"),
            "sha256=f9e0bd0d1a561fbfdabec6356500586e2c72d7d797314b41b8380761868d6c25");
  Channel c;
  c.secret = "0123456789abcdef";
  const Notification n = Deployment();
  const std::string body = NotificationJson(n).dump();
  const Headers headers = WebhookHeaders(c, n, body, kNow);
  std::map<std::string, std::string> h(headers.begin(), headers.end());
  EXPECT_EQ(h["X-Ec2m-Delivery"], "deploy-prod-42");
  EXPECT_EQ(h["X-Ec2m-Timestamp"], "1795000000");
  EXPECT_EQ(h["X-Ec2m-Signature"], WebhookSignature(c.secret, "1795000000", body));
  EXPECT_EQ(h["X-Ec2m-Signature"].size(), 7u + 64u);
}

TEST(RenderTest, NotificationJsonRoundTrips) {
  const Notification n = Deployment();
  auto back = NotificationFromJson(NotificationJson(n));
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(NotificationJson(*back), NotificationJson(n));
  EXPECT_FALSE(NotificationFromJson(nlohmann::json::object()));
}

TEST(RenderTest, GithubDeploymentAndStatus) {
  Notification n = Deployment();
  const auto deployment = nlohmann::json::parse(*GithubDeploymentBody(n));
  EXPECT_EQ(deployment["ref"], "0123abc");
  EXPECT_EQ(deployment["environment"], "production");
  EXPECT_EQ(deployment["auto_merge"], false);
  EXPECT_EQ(deployment["required_contexts"], nlohmann::json::array());
  const auto status = nlohmann::json::parse(*GithubStatusBody(n));
  EXPECT_EQ(status["state"], "success");
  EXPECT_EQ(status["log_url"], "https://github.com/acme/web/actions/runs/1");
  EXPECT_EQ(status["description"], n.title);

  n.fields["status"] = "cancelled";
  EXPECT_EQ(*GithubState(n), "error");
  n.fields["status"] = "exploded";
  EXPECT_FALSE(GithubState(n));
  n.fields.erase("commit");
  EXPECT_EQ(nlohmann::json::parse(*GithubDeploymentBody(n))["ref"], "main");
  n.fields.erase("branch");
  EXPECT_FALSE(GithubDeploymentBody(n));
  n.title = std::string(300, 'x');
  n.fields["status"] = "failure";
  EXPECT_EQ(nlohmann::json::parse(*GithubStatusBody(n))["description"].get<std::string>().size(),
            140u);
}

}  // namespace
}  // namespace ec2m::notify
