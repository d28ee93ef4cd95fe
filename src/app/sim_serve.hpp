#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of `ec2m sim serve`; empty strings mean "from the config file, else the default".
struct SimServeOptions {
  std::string config_file;
  std::string listen;
  std::string data_dir;
  std::string region;
  std::string access_key;
  std::string secret_key;
  // `ec2m sim faults REGION [--set JSON | --file F]`: the embedded region's faults through the
  // signed-in server.
  std::string server;
  std::string faults_region;
  std::string faults_json;
  std::string faults_file;
};

// Adds `sim serve` and `sim faults` to the command line; `run` receives the exit code when it was
// chosen.
void AddSimCommands(CLI::App& app, SimServeOptions& options, int& exit_code);

// Serves the simulated region over the EC2 Query API until SIGINT or SIGTERM. Prints one line
// "ec2m sim: serving <region> at http://HOST:PORT ..." once it accepts connections.
int RunSimServe(const SimServeOptions& options);

}  // namespace ec2m::app
