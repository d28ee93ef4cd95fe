#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of the commands about the signed-in user's own credentials.
struct AccountOptions {
  std::string server;            // --server; else the saved session's
  bool passwords_stdin = false;  // passwd: the current and the new password, one a line
  bool password_stdin = false;   // mfa: the password on the first line of stdin
  std::string otp;               // mfa: the current code (TOTP or recovery) when MFA is on
  std::string code;              // mfa verify: the new authenticator's code
};

// passwd; mfa enroll|verify|recovery-codes|disable.
void AddAccountCommands(CLI::App& app, AccountOptions& options, int& exit_code);

}  // namespace ec2m::app
