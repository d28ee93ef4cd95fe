#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of `ec2m channels ...` and `ec2m notifications ...`.
struct ChannelOptions {
  std::string server;  // --server; else the saved session's
  std::string type;    // add: slack | teams | email | webhook | github
  std::string name;
  std::string url;       // slack, teams, webhook
  std::string secret;    // webhook
  std::string smtp_url;  // email
  std::string from;
  std::string to;  // comma-separated
  std::string user;
  std::string password;
  std::string repo;  // github
  std::string token;
  std::string api_url;
  std::string environments;  // --env, comma-separated
  std::string kinds;         // comma-separated
  std::string min_severity;
  std::string output = "table";
  std::string state;  // notifications list
  int limit = 50;
};

// channels add TYPE NAME [settings of TYPE] [--env E,..] [--kinds K,..] [--min-severity S],
// channels list [-o table|json], channels remove NAME, channels test NAME, and
// notifications list [--state S] [--limit N] [-o table|json] — through the server the CLI is
// signed in to. A setting another type takes is refused naming the flag, and so is a value the
// server refuses (`--smtp-url: expected a smtp:// or smtps:// URL with a host, ...`). Exit codes
// as every request (cli/exit_codes.hpp).
void AddChannelCommands(CLI::App& app, ChannelOptions& options, int& exit_code);

}  // namespace ec2m::app
