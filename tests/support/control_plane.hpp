#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.hpp"

namespace ec2m::testing {

// `ec2m serve` started as a child process on free loopback ports (API and EC2 endpoint) over a
// folder of its own: ec2m.json, config/<env>.json, data/, and cli/ for the CLI's saved session.
// Start() waits for the "Console: URL" line, never on a sleep.
class ControlPlane {
 public:
  // `environments`: name → the JSON text of config/<name>.json. `settings`: extra ec2m.json keys
  // as JSON members (",\"demo\":true").
  ControlPlane(std::string dir, const std::map<std::string, std::string>& environments,
               const std::string& settings = "");
  ~ControlPlane();

  // Starts the server; false with a reason in `error()` when it did not become ready.
  bool Start();
  // SIGTERM; returns the exit status.
  int Stop();
  // SIGKILL: the process dies wherever it is, as in a crash.
  void Kill();

  const std::string& url() const { return url_; }
  // The first admin's credentials, from the first start's "Admin:" line.
  const std::string& admin_email() const { return admin_email_; }
  const std::string& admin_password() const { return admin_password_; }
  const std::string& error() const { return error_; }
  // The embedded EC2 endpoint and the keys it was started with (its "EC2 endpoint:" line); empty
  // when the server runs none.
  const std::string& ec2_url() const { return ec2_url_; }
  const std::string& ec2_access_key() const { return ec2_access_key_; }
  const std::string& ec2_secret_key() const { return ec2_secret_key_; }
  const std::string& dir() const { return dir_; }

  // Runs `ec2m ARGS...` against this server with its own session folder; `input` goes to stdin.
  CommandResult Ec2m(const std::vector<std::string>& args, const std::string& input = "") const;
  // The same at a terminal (a pseudo-terminal), `input` typed into it.
  CommandResult Ec2mAtTerminal(const std::vector<std::string>& args,
                               const std::string& input) const;
  // Signs the CLI in as the first admin.
  bool LoginAdmin() const;

 private:
  std::string dir_;
  std::unique_ptr<Subprocess> process_;
  std::string url_;
  std::string admin_email_;
  std::string admin_password_;
  std::string ec2_url_;
  std::string ec2_access_key_;
  std::string ec2_secret_key_;
  std::string error_;
};

// A config/<name>.json for the simulated region.
std::string SimEnvironment(const std::string& name, bool mfa_required = false,
                           bool self_signup = false);

}  // namespace ec2m::testing
