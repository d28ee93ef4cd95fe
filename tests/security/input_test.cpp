// Attacks on what ec2m reads (issue 15, "Input"): each test sends what an attacker would to a real
// `ec2m serve` and then checks that the server still answers and that nothing changed.

#include <gtest/gtest.h>

#include <string>

#include "support/plane_test.hpp"
#include "support/raw_http.hpp"

namespace ec2m::testing {
namespace {

class InputAttackTest : public PlaneTest {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    admin_ = Login(plane_->admin_email(), plane_->admin_password());
  }

  void ExpectAlive() {
    Answer live = Call("GET", "/health/live", "");
    EXPECT_EQ(live.status, 200) << "the server no longer answers";
  }

  int port() const { return PortOf(plane_->url()); }
};

TEST_F(InputAttackTest, DeeplyNestedLoginEmailIsRefusedAndTheServerStaysUp) {
  // One unauthenticated request: "email" is an array nested 200,000 deep (about 400 KB, under the
  // body limit). It used to overflow the stack while the error message dumped the value.
  const std::string body =
      R"({"email":)" + std::string(200000, '[') + std::string(200000, ']') + R"(,"password":"x"})";
  auto answer = RawExchange(port(), RawPost("/api/v1/auth/login", body));
  ASSERT_TRUE(answer) << "no answer: the server died";
  EXPECT_EQ(StatusOf(*answer), 400);
  const std::string text = BodyOf(*answer);
  EXPECT_NE(text.find("invalid_argument"), std::string::npos) << text;
  EXPECT_NE(text.find("nested deeper than 64 levels"), std::string::npos) << text;
  EXPECT_LT(text.size(), 400u) << "the answer carries the input back";
  ExpectAlive();
}

TEST_F(InputAttackTest, WrongTypesAreNamedWithoutTheirValue) {
  // A wide and a long value where a string belongs: the answer says what and where, not the value.
  std::string wide = R"({"email":[1)";
  for (int i = 0; i < 20000; ++i) {
    wide += ",1";
  }
  wide += R"(],"password":"x"})";
  auto answer = RawExchange(port(), RawPost("/api/v1/auth/login", wide));
  ASSERT_TRUE(answer);
  EXPECT_EQ(StatusOf(*answer), 400);
  EXPECT_NE(BodyOf(*answer).find("$.email: expected a string, got an array"), std::string::npos)
      << BodyOf(*answer);
  EXPECT_LT(BodyOf(*answer).size(), 400u);
  // A number no double holds is a parse error, not an internal one quoting the digits.
  auto huge = RawExchange(
      port(), RawPost("/api/v1/auth/login", R"({"email":1)" + std::string(5000, '9') + "}"));
  ASSERT_TRUE(huge);
  EXPECT_EQ(StatusOf(*huge), 400);
  EXPECT_EQ(BodyOf(*huge).find("999"), std::string::npos) << BodyOf(*huge);
  const std::string script = "<script>alert(document.cookie)</script>";
  Answer markup =
      Call("POST", "/api/v1/tokens", admin_, {{"name", 7}, {"expires_in_days", script}});
  EXPECT_EQ(markup.status, 400);
  EXPECT_EQ(markup.body.dump().find("script"), std::string::npos) << markup.body.dump();
  ExpectAlive();
}

TEST_F(InputAttackTest, PathParametersAreDecodedOnce) {
  // A user whose address holds a literal "%41": its path form is "%2541". Decoding twice would
  // turn it into another user's address ("pAq@...").
  ASSERT_EQ(Call("POST", "/api/v1/users", admin_,
                 {{"email", "p%41q@example.com"}, {"roles", {{"dev", "viewer"}}}})
                .status,
            201);
  ASSERT_EQ(Call("POST", "/api/v1/users", admin_,
                 {{"email", "paq@example.com"}, {"roles", {{"dev", "viewer"}}}})
                .status,
            201);
  Answer changed = Call("PATCH", "/api/v1/users/p%2541q%40example.com", admin_,
                        {{"roles", {{"dev", "operator"}}}});
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_EQ(changed.body["email"], "p%41q@example.com");
  for (const auto& u : Call("GET", "/api/v1/users", admin_).body["items"]) {
    if (u["email"] == "paq@example.com") {
      EXPECT_EQ(u["roles"]["dev"], "viewer") << "the other user was changed";
    }
  }
}

}  // namespace
}  // namespace ec2m::testing
