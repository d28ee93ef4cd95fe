// `ec2m passwd`, `ec2m mfa ...` and a throttled `ec2m login`, end to end: the real CLI against a
// real `ec2m serve`, checking what it prints, how it exits and what the server then allows.

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "support/control_plane.hpp"
#include "support/rest_client.hpp"

namespace ec2m::testing {
namespace {

constexpr const char* kNewPassword = "New-Battery-Staple-7";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The value after `label` up to the end of its line ("secret: ABC" → "ABC").
std::string ValueAfter(const std::string& text, const std::string& label) {
  const size_t at = text.find(label);
  if (at == std::string::npos) {
    return "";
  }
  const size_t from = at + label.size();
  return text.substr(from, text.find('\n', from) - from);
}

// The recovery codes the CLI prints, one a line after two spaces.
std::vector<std::string> Codes(const std::string& out) {
  std::vector<std::string> codes;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  ", 0) == 0) {
      codes.push_back(line.substr(2));
    }
  }
  return codes;
}

class CliAccountTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plane_ = std::make_unique<ControlPlane>(
        dir_.path(), std::map<std::string, std::string>{{"dev", SimEnvironment("dev")}});
    ASSERT_TRUE(plane_->Start()) << plane_->error();
    ASSERT_TRUE(plane_->LoginAdmin());
  }

  CommandResult Ec2m(const std::vector<std::string>& args, const std::string& input = "") {
    return plane_->Ec2m(args, input);
  }

  // `ec2m login` as the admin with `password` (and `otp` when given), from stdin.
  CommandResult Login(const std::string& password, const std::string& otp = "") {
    std::vector<std::string> args = {
        "login", "--server", plane_->url(), "--email", plane_->admin_email(), "--password-stdin"};
    if (!otp.empty()) {
      args.insert(args.end(), {"--otp", otp});
    }
    return Ec2m(args, password + "\n");
  }

  int MeStatus(const std::string& token) {
    return CallApi(plane_->url(), "GET", "/api/v1/me", token).status;
  }

  const std::string& password() const { return plane_->admin_password(); }

  TempDir dir_;
  std::unique_ptr<ControlPlane> plane_;
};

TEST_F(CliAccountTest, PasswdKeepsTheCliSignedInWhileEveryOtherSessionEnds) {
  // Another session of the same user, as on another machine.
  const std::string other = LoginApi(plane_->url(), plane_->admin_email(), password());
  ASSERT_FALSE(other.empty());

  CommandResult wrong =
      Ec2m({"passwd", "--passwords-stdin"}, std::string("Not-The-Password-1\n") + kNewPassword);
  EXPECT_EQ(wrong.exit_code, cli::ExitCodeFor(ErrorCode::kPermissionDenied)) << wrong.err;
  EXPECT_TRUE(Has(wrong.err, "current: the password is not right")) << wrong.err;
  CommandResult weak = Ec2m({"passwd", "--passwords-stdin"}, password() + "\nshort\n");
  EXPECT_EQ(weak.exit_code, cli::ExitCodeFor(ErrorCode::kInvalidArgument)) << weak.err;
  EXPECT_TRUE(Has(weak.err, "password must be at least 12 characters long")) << weak.err;
  CommandResult one_line = Ec2m({"passwd", "--passwords-stdin"}, password() + "\n");
  EXPECT_EQ(one_line.exit_code, cli::ExitCodeFor(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(Has(one_line.err, "expected the current and the new password on two lines"));
  // No terminal and no flag: it says what to pass instead of waiting for an answer.
  CommandResult piped = Ec2m({"passwd"}, password() + "\n" + kNewPassword + "\n");
  EXPECT_EQ(piped.exit_code, cli::ExitCodeFor(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(Has(piped.err, "pass --passwords-stdin")) << piped.err;
  EXPECT_EQ(MeStatus(other), 200);  // nothing was changed so far

  CommandResult changed =
      Ec2m({"passwd", "--passwords-stdin"}, password() + "\n" + kNewPassword + "\n");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_TRUE(Has(changed.out, "password changed: every other session and API token of " +
                                   plane_->admin_email() + " was revoked"))
      << changed.out;
  CommandResult whoami = Ec2m({"whoami"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_TRUE(Has(whoami.out, plane_->admin_email())) << whoami.out;
  EXPECT_EQ(MeStatus(other), 401);
  EXPECT_EQ(Login(password()).exit_code, cli::ExitCodeFor(ErrorCode::kUnauthenticated));
  ASSERT_EQ(Login(kNewPassword).exit_code, 0);

  // At a terminal it asks: the current password, the new one twice.
  CommandResult typo = plane_->Ec2mAtTerminal(
      {"passwd"}, std::string(kNewPassword) + "\nThird-Password-99\nThird-Password-98\n");
  EXPECT_EQ(typo.exit_code, cli::ExitCodeFor(ErrorCode::kInvalidArgument)) << typo.out;
  EXPECT_TRUE(Has(typo.out, "Current password:")) << typo.out;
  EXPECT_TRUE(Has(typo.out, "New password again:")) << typo.out;
  EXPECT_TRUE(Has(typo.out, "the two new passwords differ; nothing was changed")) << typo.out;
  CommandResult typed = plane_->Ec2mAtTerminal(
      {"passwd"}, std::string(kNewPassword) + "\nThird-Password-99\nThird-Password-99\n");
  EXPECT_EQ(typed.exit_code, 0) << typed.out;
  EXPECT_EQ(Ec2m({"whoami"}).exit_code, 0);
  EXPECT_FALSE(LoginApi(plane_->url(), plane_->admin_email(), "Third-Password-99").empty());
}

TEST_F(CliAccountTest, MfaEnrolThenSignInNeedsACodeRecoveryCodesRenewAndDisable) {
  CommandResult refused = Ec2m({"mfa", "enroll", "--password-stdin"}, "Wrong-Password-12\n");
  EXPECT_EQ(refused.exit_code, cli::ExitCodeFor(ErrorCode::kPermissionDenied)) << refused.err;
  EXPECT_TRUE(Has(refused.err, "password: the password is not right")) << refused.err;

  // Without a terminal, enrol prints the secret and stops; verify confirms it.
  CommandResult enrol = Ec2m({"mfa", "enroll", "--password-stdin"}, password() + "\n");
  ASSERT_EQ(enrol.exit_code, 0) << enrol.err;
  const std::string secret = ValueAfter(enrol.out, "secret: ");
  ASSERT_FALSE(secret.empty()) << enrol.out;
  EXPECT_TRUE(Has(ValueAfter(enrol.out, "otpauth: "), "otpauth://totp/")) << enrol.out;
  EXPECT_TRUE(Has(enrol.out, "ec2m mfa verify CODE")) << enrol.out;
  CommandResult stale = Ec2m({"mfa", "verify", TotpCode(secret, std::chrono::minutes(-10))});
  EXPECT_EQ(stale.exit_code, cli::ExitCodeFor(ErrorCode::kInvalidArgument)) << stale.err;
  EXPECT_TRUE(Has(stale.err, "the enrolment is still pending")) << stale.err;
  CommandResult verified = Ec2m({"mfa", "verify", TotpCode(secret, std::chrono::seconds(0))});
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  const std::vector<std::string> codes = Codes(verified.out);
  ASSERT_EQ(codes.size(), 10u) << verified.out;
  EXPECT_TRUE(Has(Ec2m({"whoami"}).out, "mfa: on"));

  // Signing in now needs a code.
  CommandResult no_code = Login(password());
  EXPECT_EQ(no_code.exit_code, cli::ExitCodeFor(ErrorCode::kUnauthenticated));
  EXPECT_TRUE(Has(no_code.err, "otp: an MFA code is required")) << no_code.err;
  ASSERT_EQ(Login(password(), codes[0]).exit_code, 0);

  // A new authenticator or new recovery codes need the current code too.
  CommandResult again = Ec2m({"mfa", "enroll", "--password-stdin"}, password() + "\n");
  EXPECT_EQ(again.exit_code, cli::ExitCodeFor(ErrorCode::kPermissionDenied));
  EXPECT_TRUE(Has(again.err, "otp: your current MFA code is required")) << again.err;
  CommandResult no_otp = Ec2m({"mfa", "recovery-codes", "--password-stdin"}, password() + "\n");
  EXPECT_EQ(no_otp.exit_code, cli::ExitCodeFor(ErrorCode::kPermissionDenied));
  EXPECT_TRUE(Has(no_otp.err, "otp: your current MFA code is required")) << no_otp.err;
  CommandResult renewed =
      Ec2m({"mfa", "recovery-codes", "--password-stdin", "--otp", codes[1]}, password() + "\n");
  ASSERT_EQ(renewed.exit_code, 0) << renewed.err;
  EXPECT_TRUE(Has(renewed.out, "the old ones no longer work")) << renewed.out;
  const std::vector<std::string> fresh = Codes(renewed.out);
  ASSERT_EQ(fresh.size(), 10u) << renewed.out;
  CommandResult old_code = Login(password(), codes[2]);
  EXPECT_EQ(old_code.exit_code, cli::ExitCodeFor(ErrorCode::kUnauthenticated));
  EXPECT_TRUE(Has(old_code.err, "otp: the code is not valid")) << old_code.err;
  ASSERT_EQ(Login(password(), fresh[0]).exit_code, 0);

  CommandResult off =
      Ec2m({"mfa", "disable", "--password-stdin", "--otp", fresh[1]}, password() + "\n");
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_TRUE(Has(off.out, "MFA is off for " + plane_->admin_email())) << off.out;
  EXPECT_TRUE(Has(Ec2m({"whoami"}).out, "mfa: off"));
  EXPECT_EQ(Login(password()).exit_code, 0);
  CommandResult twice =
      Ec2m({"mfa", "disable", "--password-stdin", "--otp", fresh[2]}, password() + "\n");
  EXPECT_EQ(twice.exit_code, cli::ExitCodeFor(ErrorCode::kFailedPrecondition));
  EXPECT_TRUE(Has(twice.err, "MFA is not on")) << twice.err;
}

TEST_F(CliAccountTest, AThrottledLoginSaysHowLongToWaitAndExitsWithTheThrottledCode) {
  // Failures of one address against one account are slowed after a few (unknown emails alike).
  CommandResult r;
  for (int attempt = 0; attempt < 12; ++attempt) {
    r = Ec2m(
        {"login", "--server", plane_->url(), "--email", "nobody@example.com", "--password-stdin"},
        "Wrong-Password-12\n");
    if (r.exit_code != cli::ExitCodeFor(ErrorCode::kUnauthenticated)) {
      break;
    }
    EXPECT_TRUE(Has(r.err, "invalid email or password")) << r.err;
  }
  EXPECT_EQ(r.exit_code, cli::ExitCodeFor(ErrorCode::kThrottled)) << r.err;
  EXPECT_TRUE(Has(r.err, "too many sign-in attempts: try again in ")) << r.err;
  EXPECT_FALSE(Has(r.err, "invalid email or password")) << r.err;
  // The admin, from an address they signed in from, is not slowed by others' failures.
  EXPECT_EQ(Login(password()).exit_code, 0);
}

}  // namespace
}  // namespace ec2m::testing
