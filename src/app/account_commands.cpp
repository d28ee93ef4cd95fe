#include "app/account_commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>

#include "app/api_client.hpp"
#include "app/terminal_input.hpp"
#include "cli/exit_codes.hpp"

namespace ec2m::app {
namespace {

int Report(const Result<void>& r) { return r ? 0 : cli::ReportError(r.error()); }

struct PasswordChange {
  std::string current;
  std::string next;
};

// Never waits on a pipe for a prompt nobody sees: without a terminal the flag is needed.
Result<PasswordChange> ReadPasswords(bool from_stdin) {
  if (from_stdin) {
    auto current = ReadLine();
    auto next = ReadLine();
    if (!current || !next) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--passwords-stdin: expected the current and the new password on two lines");
    }
    return PasswordChange{*current, *next};
  }
  if (!StdinIsTerminal()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no terminal to ask for the passwords on: pass --passwords-stdin (the current "
                "and the new password on two lines)");
  }
  PasswordChange change{ReadSecret("Current password: "),
                        ReadSecret("New password: ")};  // secret-scan:allow (prompts, not a secret)
  if (ReadSecret("New password again: ") != change.next) {
    return Fail(ErrorCode::kInvalidArgument, "the two new passwords differ; nothing was changed");
  }
  return change;
}

Result<std::string> ReadPassword(bool from_stdin) {
  if (from_stdin) {
    auto line = ReadLine();
    if (!line) {
      return Fail(ErrorCode::kInvalidArgument, "--password-stdin: no password on stdin");
    }
    return *line;
  }
  if (!StdinIsTerminal()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no terminal to ask for your password on: pass --password-stdin");
  }
  return ReadSecret("Password: ");
}

// --otp, else asked at a terminal; "" otherwise (the server then says a code is needed).
std::string CurrentCode(const AccountOptions& o) {
  if (!o.otp.empty() || !StdinIsTerminal()) {
    return o.otp;
  }
  return Prompt("Current MFA code (or a recovery code): ");
}

struct Signed {
  Session session;
  std::unique_ptr<ApiClient> client;
  bool mfa_enabled = false;
};

// The saved session and whether its user has MFA on now.
Result<Signed> Connect(const AccountOptions& o) {
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  auto client = std::make_unique<ApiClient>(s->server, s->token);
  auto me = client->Call("GET", "/api/v1/me");
  EC2M_RETURN_IF_ERROR(me);
  if (s->email.empty()) {
    s->email = JsonField(*me, "email");
  }
  return Signed{*s, std::move(client), me->value("mfa_enabled", false)};
}

void PrintCodes(const nlohmann::json& answer) {
  for (const auto& code : answer["recovery_codes"]) {
    std::printf("  %s\n", code.get<std::string>().c_str());
  }
}

Result<void> ChangePassword(const AccountOptions& o) {
  auto s = LoadSession(o.server);
  EC2M_RETURN_IF_ERROR(s);
  auto change = ReadPasswords(o.passwords_stdin);
  EC2M_RETURN_IF_ERROR(change);
  ApiClient client(s->server, s->token);
  auto answer = client.Call("POST", "/api/v1/me/password",
                            {{"current", change->current}, {"new", change->next}});
  EC2M_RETURN_IF_ERROR(answer);
  // The server ended every session and API token of the user and answered with a new session:
  // keeping it is what keeps this CLI signed in.
  Session next{s->server, JsonField(*answer, "token"), s->email};
  if (next.email.empty()) {
    auto me = ApiClient(next.server, next.token).Call("GET", "/api/v1/me");
    next.email = me ? JsonField(*me, "email") : "";
  }
  if (auto saved = SaveSession(next); !saved) {
    return Fail(ErrorCode::kUnavailable, "the password was changed, but " + saved.error().message +
                                             ": sign in again with ec2m login");
  }
  std::printf(
      "password changed: every other session and API token of %s was revoked; this CLI stays "
      "signed in until %s\n",
      next.email.c_str(), JsonField(*answer, "expires_at").c_str());
  if (const char* env = std::getenv("EC2M_TOKEN"); env != nullptr && *env != '\0') {
    std::fprintf(stderr,
                 "ec2m: note: the API token in EC2M_TOKEN no longer works; the new session "
                 "is saved in %s\n",
                 SessionPath().c_str());
  }
  return {};
}

Result<void> VerifyMfa(ApiClient& client, const std::string& code) {
  auto answer = client.Call("POST", "/api/v1/me/mfa/verify", {{"otp", code}});
  if (!answer) {
    Error e = answer.error();
    e.message += "; the enrolment is still pending: try again with ec2m mfa verify CODE";
    return Fail(std::move(e));
  }
  std::printf(
      "MFA is on. Recovery codes, each signing in once without your authenticator "
      "(keep them somewhere safe; they are shown only now):\n");
  PrintCodes(*answer);
  return {};
}

Result<void> EnrollMfa(const AccountOptions& o) {
  auto c = Connect(o);
  EC2M_RETURN_IF_ERROR(c);
  auto password = ReadPassword(o.password_stdin);
  EC2M_RETURN_IF_ERROR(password);
  nlohmann::json body = {{"password", *password}};
  if (c->mfa_enabled) {
    body["otp"] = CurrentCode(o);  // a new authenticator: the current one proves it is you
  }
  auto enrolment = c->client->Call("POST", "/api/v1/me/mfa/enroll", body);
  EC2M_RETURN_IF_ERROR(enrolment);
  std::printf(
      "Add this account to your authenticator app (the URI as a QR code, or the secret "
      "typed in):\nsecret: %s\notpauth: %s\n",
      JsonField(*enrolment, "secret").c_str(), JsonField(*enrolment, "otpauth_uri").c_str());
  if (!StdinIsTerminal()) {
    std::printf("then confirm it with: ec2m mfa verify CODE\n");
    return {};
  }
  std::fflush(stdout);
  return VerifyMfa(*c->client, Prompt("Code from your authenticator app: "));
}

Result<void> ConfirmMfa(const AccountOptions& o) {
  auto client = ConnectSignedIn(o.server);
  EC2M_RETURN_IF_ERROR(client);
  return VerifyMfa(**client, o.code);
}

Result<void> NewRecoveryCodes(const AccountOptions& o) {
  auto c = Connect(o);
  EC2M_RETURN_IF_ERROR(c);
  auto password = ReadPassword(o.password_stdin);
  EC2M_RETURN_IF_ERROR(password);
  auto answer = c->client->Call("POST", "/api/v1/me/mfa/recovery-codes",
                                {{"password", *password}, {"otp", CurrentCode(o)}});
  EC2M_RETURN_IF_ERROR(answer);
  std::printf("New recovery codes; the old ones no longer work (shown only now):\n");
  PrintCodes(*answer);
  return {};
}

Result<void> DisableMfa(const AccountOptions& o) {
  auto c = Connect(o);
  EC2M_RETURN_IF_ERROR(c);
  auto password = ReadPassword(o.password_stdin);
  EC2M_RETURN_IF_ERROR(password);
  EC2M_RETURN_IF_ERROR(c->client->Call("DELETE", "/api/v1/me/mfa",
                                       {{"password", *password}, {"otp", CurrentCode(o)}}));
  std::printf("MFA is off for %s: you sign in with your password alone\n",
              c->session.email.c_str());
  return {};
}

}  // namespace

void AddAccountCommands(CLI::App& app, AccountOptions& o, int& exit_code) {
  auto server = [&o](CLI::App* cmd) {
    cmd->add_option("--server", o.server, "ec2m server URL (default: the signed-in one)");
  };
  auto password = [&o](CLI::App* cmd) {
    cmd->add_flag("--password-stdin", o.password_stdin,
                  "Read your password from stdin (else asked at the terminal)");
  };
  auto otp = [&o](CLI::App* cmd) {
    cmd->add_option("--otp", o.otp,
                    "Your current TOTP or recovery code (else asked at the terminal)");
  };

  CLI::App* passwd = app.add_subcommand(
      "passwd",
      "Change your password: every other session and API token of yours ends, this CLI stays "
      "signed in");
  server(passwd);
  passwd->add_flag("--passwords-stdin", o.passwords_stdin,
                   "Read the current and the new password from stdin, one a line");
  passwd->callback([&] { exit_code = Report(ChangePassword(o)); });

  CLI::App* mfa = app.add_subcommand("mfa", "Your multi-factor authentication (TOTP)");
  mfa->require_subcommand(1);
  CLI::App* enroll = mfa->add_subcommand(
      "enroll", "Set up an authenticator (a new one when MFA is on): prints the secret and URI");
  server(enroll);
  password(enroll);
  otp(enroll);
  enroll->callback([&] { exit_code = Report(EnrollMfa(o)); });
  CLI::App* verify = mfa->add_subcommand(
      "verify", "Confirm an enrolment with the authenticator's code; prints the recovery codes");
  server(verify);
  verify->add_option("code", o.code, "The 6-digit code the new authenticator shows")->required();
  verify->callback([&] { exit_code = Report(ConfirmMfa(o)); });
  CLI::App* codes =
      mfa->add_subcommand("recovery-codes", "Make new recovery codes (the old ones stop working)");
  server(codes);
  password(codes);
  otp(codes);
  codes->callback([&] { exit_code = Report(NewRecoveryCodes(o)); });
  CLI::App* disable = mfa->add_subcommand("disable", "Turn your MFA off");
  server(disable);
  password(disable);
  otp(disable);
  disable->callback([&] { exit_code = Report(DisableMfa(o)); });
}

}  // namespace ec2m::app
