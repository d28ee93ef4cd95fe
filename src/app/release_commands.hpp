#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of `ec2m release|deploy|deployments|approve|reject`.
struct ReleaseOptions {
  std::string server;  // --server; else the saved session's
  std::string id;      // a release or deployment
  std::string group;
  std::string environment;
  std::string image;
  std::string user_data_file;  // --user-data FILE
  std::string commit;
  std::string branch;
  std::string workflow_url;
  std::string release;      // deploy --release
  std::string emergency;    // deploy --emergency
  std::string reason;       // deploy --reason (of the emergency)
  std::string comment;      // approve, reject
  std::string output;       // list: table|json|text; show: text|json
  std::string kind;         // deployments list --kind: release|infrastructure
  bool wait = false;        // deploy --wait
  int timeout_seconds = 0;  // --wait / watch: 0 = no limit
  int limit = 50;           // list
};

// `ec2m release create|list`, `ec2m deploy ENV GROUP --release ID [--wait]`, `ec2m deploy abort
// ID`, `ec2m deployments list|show|watch`, `ec2m approve ID`, `ec2m reject ID` through the server
// the CLI is signed in to. `release create` and `deploy` print the new id alone (for scripts);
// with --wait (and `watch`) the deployment's events follow as lines, and the exit code says how
// it ended: 0 succeeded, 1 rolled back or failed, 5 rejected or aborted, 10 --timeout
// (cli/exit_codes.hpp). Deployments include infrastructure changes held for approval (kind
// infrastructure: `ec2m provision|rollback` of an environment whose config requires approval),
// approved and followed the same way.
void AddReleaseCommands(CLI::App& app, ReleaseOptions& options, int& exit_code);

}  // namespace ec2m::app
