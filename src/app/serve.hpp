#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of `ec2m serve`; empty strings mean "from the config file, else the default".
struct ServeOptions {
  std::string config_file;
  std::string listen;
  std::string data_dir;
  std::string environments_dir;
  bool demo = false;
};

// Adds `serve`: the control plane (REST API, console, EC2 endpoint of the embedded region).
// Prints, on first start, "Admin: <email> <password>" and then, as the last line of its start-up,
// "Console: <url>" once it accepts connections. Runs until SIGINT or SIGTERM, then finishes
// requests in flight.
void AddServeCommand(CLI::App& app, ServeOptions& options, int& exit_code);

}  // namespace ec2m::app
