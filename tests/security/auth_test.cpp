// Attacks on sign-in and sessions (issue 15, "Authentication"), each against a real `ec2m serve`.
// Clients speak from different loopback addresses (127.0.0.N) as different machines would.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "support/plane_test.hpp"
#include "support/raw_http.hpp"

namespace ec2m::testing {
namespace {

constexpr const char* kPassword = "Correct-Horse-42";

struct Reply {
  int status = 0;
  nlohmann::json body;
};

class AuthAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  // POST /api/v1/auth/login from `source` (a loopback address).
  Reply LoginFrom(const std::string& source, const std::string& email, const std::string& password,
                  const std::string& otp = "") {
    nlohmann::json body = {{"email", email}, {"password", password}};
    if (!otp.empty()) {
      body["otp"] = otp;
    }
    RawConnection c(PortOf(plane_->url()), source);
    Reply r;
    if (c.Send(RawPost("/api/v1/auth/login", body.dump()))) {
      if (auto answer = c.ReadAnswer(std::chrono::seconds(30))) {
        r.status = StatusOf(*answer);
        r.body = nlohmann::json::parse(BodyOf(*answer), nullptr, false);
      }
    }
    return r;
  }

  std::string Message(const Reply& r) { return r.body["error"]["message"].get<std::string>(); }

  int FailedSignIns(const std::string& email) {
    Answer users = Call("GET", "/api/v1/users", admin_);
    for (const auto& u : users.body["items"]) {
      if (u["email"] == email) {
        return u["failed_sign_ins"].get<int>();
      }
    }
    return -1;
  }

  size_t AuditCount(const std::string& action, const std::string& result,
                    const std::string& actor) {
    Answer audit = Call("GET", "/api/v1/audit?limit=1000", admin_);
    return static_cast<size_t>(std::count_if(
        audit.body["items"].begin(), audit.body["items"].end(), [&](const nlohmann::json& e) {
          return e["action"] == action && e["result"] == result && e["actor"] == actor;
        }));
  }
};

TEST_F(AuthAttackTest, AGuesserCannotLockTheRealUserOut) {
  UserWith("victim@example.com", {{"dev", "viewer"}});  // signs in once from 127.0.0.1
  // One attacker address: slowed after five failures, alone.
  int slowed = 0;
  for (int i = 0; i < 30; ++i) {
    slowed +=
        LoginFrom("127.0.0.2", "victim@example.com", "Guess-Number-" + std::to_string(i)).status ==
                429
            ? 1
            : 0;
  }
  EXPECT_GE(slowed, 24);
  // The victim, from their usual address and from a new one, signs in at once.
  EXPECT_EQ(LoginFrom("127.0.0.1", "victim@example.com", kPassword).status, 200);
  EXPECT_EQ(LoginFrom("127.0.0.3", "victim@example.com", kPassword).status, 200);
  // Thirty attacker addresses with a guess each: the account as a whole is slowed for addresses
  // it never signed in from, but not for the victim's own.
  for (int i = 0; i < 30; ++i) {
    LoginFrom("127.0.1." + std::to_string(i + 1), "victim@example.com", "Spray-Guess-1");
  }
  const Reply stranger = LoginFrom("127.0.2.1", "victim@example.com", kPassword);
  EXPECT_EQ(stranger.status, 429);
  EXPECT_EQ(LoginFrom("127.0.0.1", "victim@example.com", kPassword).status, 200);
  EXPECT_EQ(LoginFrom("127.0.0.3", "victim@example.com", kPassword).status, 200);
  // The guesses that were checked at all stay bounded: 5 from the first address, and the
  // account's 10 free ones from the spray (docs/security.md states the bound).
  EXPECT_LE(FailedSignIns("victim@example.com"), 5 + 10 + 1);
}

TEST_F(AuthAttackTest, ParallelWrongPasswordsAreEachCountedOnce) {
  UserWith("carol@example.com", {{"dev", "viewer"}});
  std::atomic<int> refused{0};
  std::atomic<int> throttled{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      const int status =
          LoginFrom("127.0.3." + std::to_string(i + 1), "carol@example.com", "Wrong-Horse-99")
              .status;
      (status == 401 ? refused : throttled)++;
      EXPECT_TRUE(status == 401 || status == 429) << status;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(refused + throttled, 64);
  // Every attempt that was checked is counted, once: no lost update among 64 at once.
  EXPECT_EQ(FailedSignIns("carol@example.com"), refused.load());
  EXPECT_EQ(AuditCount("auth.login", "failure", "carol@example.com"),
            static_cast<size_t>(refused.load()));
  EXPECT_GE(refused.load(), 10);  // the account's free failures
}

TEST_F(AuthAttackTest, AnswersDoNotTellUnknownWrongAndThrottledApart) {
  UserWith("dave@example.com", {{"dev", "viewer"}});
  const Reply unknown = LoginFrom("127.0.4.1", "nobody@example.com", "Wrong-Horse-99");
  const Reply wrong = LoginFrom("127.0.4.1", "dave@example.com", "Wrong-Horse-99");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Message(unknown), Message(wrong));
  // Both kinds are slowed alike after five failures from one address.
  for (int i = 0; i < 6; ++i) {
    LoginFrom("127.0.4.2", "nobody@example.com", "Wrong-Horse-99");
    LoginFrom("127.0.4.3", "dave@example.com", "Wrong-Horse-99");
  }
  const Reply unknown_slowed = LoginFrom("127.0.4.2", "nobody@example.com", "Wrong-Horse-99");
  const Reply known_slowed = LoginFrom("127.0.4.3", "dave@example.com", kPassword);
  EXPECT_EQ(unknown_slowed.status, 429);
  EXPECT_EQ(known_slowed.status, 429);
  EXPECT_EQ(Message(unknown_slowed).substr(0, 30), Message(known_slowed).substr(0, 30));
  // Similar time: an unknown email is checked against a real hash too.
  auto time_of = [&](const std::string& source, const std::string& email) {
    const auto start = std::chrono::steady_clock::now();
    LoginFrom(source, email, "Wrong-Horse-99");
    return std::chrono::steady_clock::now() - start;
  };
  std::vector<double> ratios;
  for (int i = 0; i < 3; ++i) {
    const auto u =
        time_of("127.0.4." + std::to_string(10 + i), "nobody" + std::to_string(i) + "@example.com");
    const auto k = time_of("127.0.4." + std::to_string(20 + i), "dave@example.com");
    ratios.push_back(std::chrono::duration<double>(u).count() /
                     std::chrono::duration<double>(k).count());
  }
  std::sort(ratios.begin(), ratios.end());
  EXPECT_GT(ratios[1], 0.5);
  EXPECT_LT(ratios[1], 2.0);
}

TEST_F(AuthAttackTest, TheMfaPromptNeedsTheRightPasswordAndNoThrottle) {
  const std::string erin = UserWith("erin@example.com", {{"dev", "viewer"}});
  ASSERT_TRUE(EnrolMfa(plane_->url(), erin, kPassword));
  const Reply wrong = LoginFrom("127.0.5.1", "erin@example.com", "Wrong-Horse-99");
  EXPECT_EQ(Message(wrong), "invalid email or password");
  const Reply right = LoginFrom("127.0.5.1", "erin@example.com", kPassword);
  EXPECT_EQ(Message(right), "otp: an MFA code is required");
  for (int i = 0; i < 6; ++i) {
    LoginFrom("127.0.5.2", "erin@example.com", "Wrong-Horse-99");
  }
  const Reply throttled = LoginFrom("127.0.5.2", "erin@example.com", kPassword);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(Message(throttled).find("otp"), std::string::npos);
}

TEST_F(AuthAttackTest, AMalformedEmailIsRefusedBeforeAnythingIsRecorded) {
  const size_t entries_before =
      Call("GET", "/api/v1/audit?limit=1000", admin_).body["items"].size();
  for (const std::string& email :
       {std::string(300, 'a') + "@example.com", std::string("a\nb@example.com"),
        std::string("a@b@c"), std::string("\x7f@example.com"), std::string("no-at-sign")}) {
    const Reply r = LoginFrom("127.0.6.1", email, "Wrong-Horse-99");
    EXPECT_EQ(r.status, 400) << email;
    EXPECT_EQ(Message(r).find(email), std::string::npos);
  }
  // No audit entry, no throttle counter for any of them (the admin's own listing aside).
  const size_t entries_after = Call("GET", "/api/v1/audit?limit=1000", admin_).body["items"].size();
  EXPECT_EQ(entries_after, entries_before);
}

TEST_F(AuthAttackTest, ANewPasswordEndsEverySessionAndTokenOfTheOldOne) {
  const std::string first = UserWith("frank@example.com", {{"dev", "viewer"}});
  const std::string second = Login("frank@example.com", kPassword);
  Answer token = Call("POST", "/api/v1/tokens", first, {{"name", "ci"}});
  ASSERT_EQ(token.status, 201);
  const std::string api = token.body["token"];
  Answer changed = Call("POST", "/api/v1/me/password", first,
                        {{"current", kPassword}, {"new", "Battery-Staple-77"}});
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  const std::string renewed = changed.body["token"];
  for (const std::string& old : {first, second, api}) {
    EXPECT_EQ(Call("GET", "/api/v1/me", old).status, 401);
  }
  EXPECT_EQ(Call("GET", "/api/v1/me", renewed).status, 200);
  EXPECT_TRUE(Call("GET", "/api/v1/tokens", renewed).body["items"].empty());
}

TEST_F(AuthAttackTest, ADeletedUsersSessionsAndTokensDoNotPassToANewUserOfTheEmail) {
  const std::string session = UserWith("gina@example.com", {{"dev", "operator"}});
  Answer token = Call("POST", "/api/v1/tokens", session, {{"name", "ci"}});
  const std::string api = token.body["token"];
  ASSERT_EQ(Call("DELETE", "/api/v1/users/gina%40example.com", admin_).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", api).status, 401);
  // Re-created with another role: none of the old credentials work, nothing of theirs is listed.
  const std::string fresh = UserWith("gina@example.com", {{"dev", "viewer"}});
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", api).status, 401);
  EXPECT_TRUE(Call("GET", "/api/v1/tokens", fresh).body["items"].empty());
}

TEST_F(AuthAttackTest, LogoutWithAnApiTokenRevokesNothing) {
  const std::string session = UserWith("hank@example.com", {{"dev", "viewer"}});
  const std::string api = Call("POST", "/api/v1/tokens", session, {{"name", "ci"}}).body["token"];
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", api).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", api).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 200);
  // A session's logout ends that session only.
  EXPECT_EQ(Call("POST", "/api/v1/auth/logout", session).status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/me", session).status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/me", api).status, 200);
}

TEST_F(AuthAttackTest, MfaChangesNeedThePasswordTheCodeAndNotABareToken) {
  const std::string ivan = UserWith("ivan@example.com", {{"dev", "viewer"}});
  const std::string bare = Call("POST", "/api/v1/tokens", ivan, {{"name", "ci"}}).body["token"];
  // A stolen token made without MFA cannot enrol its own device.
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/enroll", bare, {{"password", kPassword}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/enroll", ivan, {{"password", "Wrong-Horse-99"}}).status,
            403);
  auto mfa = EnrolMfa(plane_->url(), ivan, kPassword);
  ASSERT_TRUE(mfa);
  // With MFA on, re-enrolment, new recovery codes and turning it off need a code too.
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/enroll", ivan, {{"password", kPassword}}).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/me/mfa/recovery-codes", ivan, {{"password", kPassword}}).status,
            403);
  EXPECT_EQ(
      Call("DELETE", "/api/v1/me/mfa", ivan, {{"password", kPassword}, {"otp", "000000"}}).status,
      403);
  Answer codes = Call("POST", "/api/v1/me/mfa/recovery-codes", ivan,
                      {{"password", kPassword}, {"otp", mfa->recovery_codes.at(0)}});
  ASSERT_EQ(codes.status, 200) << codes.body.dump();
  // The old recovery codes are void now.
  EXPECT_EQ(Call("DELETE", "/api/v1/me/mfa", ivan,
                 {{"password", kPassword}, {"otp", mfa->recovery_codes.at(1)}})
                .status,
            403);
  Answer off = Call("DELETE", "/api/v1/me/mfa", ivan,
                    {{"password", kPassword}, {"otp", codes.body["recovery_codes"][0]}});
  EXPECT_EQ(off.status, 204) << off.body.dump();
  EXPECT_EQ(Call("GET", "/api/v1/me", ivan).body["mfa_enabled"], false);
}

TEST(AdminMfaTest, GlobalAdminRoutesNeedMfaWhenAnEnvironmentRequiresIt) {
  TempDir dir;
  ControlPlane plane(dir.path(), {{"dev", SimEnvironment("dev")},
                                  {"prod", SimEnvironment("prod", /*mfa_required=*/true)}});
  ASSERT_TRUE(plane.Start()) << plane.error();
  const std::string admin = LoginApi(plane.url(), plane.admin_email(), plane.admin_password());
  for (const char* path : {"/api/v1/users", "/api/v1/audit", "/api/v1/audit/verify"}) {
    EXPECT_EQ(CallApi(plane.url(), "GET", path, admin).status, 403) << path;
  }
  EXPECT_EQ(CallApi(plane.url(), "POST", "/api/v1/channels", admin,
                    {{"name", "ops"}, {"type", "webhook"}, {"url", "http://127.0.0.1:9/hook"}})
                .status,
            403);
  Answer create = CallApi(plane.url(), "POST", "/api/v1/users", admin,
                          {{"email", "x@example.com"}, {"roles", {{"*", "admin"}}}});
  EXPECT_EQ(create.status, 403);
  ASSERT_TRUE(EnrolMfa(plane.url(), admin, plane.admin_password()));
  EXPECT_EQ(CallApi(plane.url(), "GET", "/api/v1/users", admin).status, 200);
  // The user that was refused was not made.
  EXPECT_EQ(CallApi(plane.url(), "GET", "/api/v1/users", admin).body["items"].size(), 1u);
}

}  // namespace
}  // namespace ec2m::testing

namespace ec2m::testing {
namespace {

TEST(MfaInForceTest, AFileThatDropsMfaDoesNotDropItBeforeThatIsApplied) {
  TempDir dir;
  ControlPlane plane(dir.path(), {{"dev", SimEnvironment("dev", /*mfa_required=*/true)}},
                     R"(,"demo":true)");
  ASSERT_TRUE(plane.Start()) << plane.error();
  const std::string admin = LoginApi(plane.url(), plane.admin_email(), plane.admin_password());
  auto mfa = EnrolMfa(plane.url(), admin, plane.admin_password());
  ASSERT_TRUE(mfa);
  // The config with cognito.mfaRequired on is applied: it is the config in force.
  Answer applied = CallApi(plane.url(), "POST", "/api/v1/environments/dev/provision", admin,
                           nlohmann::json::object());
  ASSERT_LT(applied.status, 300) << applied.body.dump();
  ASSERT_TRUE(applied.body["changeset"].is_object()) << applied.body.dump();
  const std::string cs = applied.body["changeset"]["id"];
  std::string state;
  for (int i = 0; i < 200 && state != "succeeded"; ++i) {
    state = CallApi(plane.url(), "GET", "/api/v1/environments/dev/changesets/" + cs, admin)
                .body.value("status", "");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(state, "succeeded");
  const std::string ops =
      UserWithRoles(plane.url(), admin, "ops@example.com", {{"dev", "operator"}});
  ASSERT_FALSE(ops.empty());
  const std::string id =
      CallApi(plane.url(), "GET", "/api/v1/instances?env=dev", ops).body["items"][0]["id"];
  ASSERT_EQ(plane.Stop(), 0);
  // Someone edits the file to drop MFA, and the server restarts with it, nothing applied.
  std::ofstream(dir.path() + "/config/dev.json") << SimEnvironment("dev", false);
  ASSERT_TRUE(plane.Start()) << plane.error();
  const std::string again = LoginApi(plane.url(), "ops@example.com", "Correct-Horse-42");
  Answer reboot = CallApi(plane.url(), "POST", "/api/v1/instances/dev/" + id + "/reboot", again,
                          nlohmann::json::object());
  EXPECT_EQ(reboot.status, 403) << reboot.body.dump();
  EXPECT_NE(reboot.body.dump().find("MFA"), std::string::npos);
}

}  // namespace
}  // namespace ec2m::testing
