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
  std::string endpoint;  // diff: the cloud's EC2 endpoint (sim: default http://127.0.0.1:4566)
  std::string output = "text";
  bool allow_delete_retained = false;
};

// Adds `validate ENV`, `synth ENV` and `diff ENV`: an environment's config file
// (CONFIG_DIR/ENV.json) read, resolved into its template, checked against the compliance rules and
// compared with its cloud, without an ec2m server.
//   validate: exit 0 when valid and compliant, 1 otherwise (each problem on stderr, named by file
//             and JSON path)
//   synth:    the template as JSON on stdout
//   diff:     the plan (text or --output json); exit 0 no changes, 2 changes, 1 error
void AddStackCommands(CLI::App& app, StackOptions& options, int& exit_code);

}  // namespace ec2m::app
