#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of the commands that call `ec2m serve`'s REST API.
struct ClientOptions {
  std::string server;  // --server; else the saved session's, else EC2M_SERVER
  std::string output = "table";
  // login
  std::string email;
  bool password_stdin = false;
  std::string otp;
  // instances
  std::string env;
  std::string state;
  std::string type;
  std::string zone;
  std::string tag;
  std::string query;
  std::string sort;
  int limit = 0;  // 0: every page
  std::vector<std::string> ids;
  std::vector<std::string> set_tags;     // Key=Value
  std::vector<std::string> remove_tags;  // Key
  bool yes = false;
  // audit
  std::string since;
};

// login, logout, whoami, instances list|show|start|stop|reboot|terminate|tag, audit
// verify|export|list.
void AddClientCommands(CLI::App& app, ClientOptions& options, int& exit_code);

// "ec2m 0.1.0 (commit 0123456789ab)": what `ec2m --version` prints.
std::string VersionLine();

}  // namespace ec2m::app
