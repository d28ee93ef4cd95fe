#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options of the environment-config commands.
struct StackOptions {
  std::string environment;
  std::string config_dir = "config";
};

// Adds `validate ENV` and `synth ENV`: an environment's config file (CONFIG_DIR/ENV.json) read,
// resolved into its template and checked against the compliance rules, without a server.
//   validate: exit 0 when valid and compliant, 1 otherwise (each problem on stderr, named by file
//             and JSON path)
//   synth:    the template as JSON on stdout
void AddStackCommands(CLI::App& app, StackOptions& options, int& exit_code);

}  // namespace ec2m::app
