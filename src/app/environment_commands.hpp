#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of the commands that change environments through the server.
struct EnvironmentOptions {
  std::string environment;
  std::string config_dir = "config";
  std::string server;   // --server; else the saved session's
  std::string profile;  // --profile: the AWS profile whose credentials are checked first
  std::string outputs_dir = "outputs";
  std::string target = "previous";  // rollback
  std::string confirm;              // rollback: --confirm ROLLBACK
  std::string check = "all";        // status
  std::string id;                   // changesets show
  std::string output = "table";
  int limit = 20;
  bool yes = false;
  bool json = false;
  bool allow_delete_retained = false;
  bool no_wait = false;
};

// provision ENV, rollback ENV [TARGET], status ENV [CHECK], drift ENV, unlock ENV,
// changesets list ENV | show ID — through the server the CLI is signed in to. Confirmations
// (prod provision "Are you sure? (y/N)", prod rollback typed ROLLBACK, unlock typed name) are
// asked on a terminal only; without one, --yes / --confirm ROLLBACK say it.
// Exit codes: provision/rollback 0 applied or nothing to do, 1 the apply failed or was not
// confirmed; status 0 HEALTHY or DEPLOYING, 1 WARNING, 2 UNHEALTHY; drift 0 none, 2 drifted;
// request errors as every command (cli/exit_codes.hpp).
void AddEnvironmentCommands(CLI::App& app, EnvironmentOptions& options, int& exit_code);

}  // namespace ec2m::app
