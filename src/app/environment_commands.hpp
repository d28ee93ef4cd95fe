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
  bool wait = false;        // provision, rollback: follow a change held for approval
  int timeout_seconds = 0;  // with --wait: 0 = no limit
};

// provision ENV, rollback ENV [TARGET], status ENV [CHECK], drift ENV, unlock ENV,
// changesets list ENV | show ID — through the server the CLI is signed in to. Confirmations
// (prod provision "Are you sure? (y/N)", prod rollback typed ROLLBACK, unlock typed name) are
// asked on a terminal only; without one, --yes / --confirm ROLLBACK say it.
// Where the environment's config in force requires approval, provision and rollback are held
// by the server as a deployment awaiting approval (and a window): the command says so and exits
// 11 (cli::kExitAwaitingApproval), or with --wait follows it as `deploy --wait` does.
// Exit codes: provision/rollback 0 applied or nothing to do, 1 the apply failed or was not
// confirmed, 11 held for approval (with --wait: 5 rejected or aborted, 10 --timeout); status 0
// HEALTHY or DEPLOYING, 1 WARNING, 2 UNHEALTHY; drift 0 none, 2 drifted; request errors as every
// command (cli/exit_codes.hpp).
void AddEnvironmentCommands(CLI::App& app, EnvironmentOptions& options, int& exit_code);

}  // namespace ec2m::app
