#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// `ec2m keys rotate --key-file PATH` (or --data-dir DIR: DIR/ec2m.keys): adds a fresh key to the
// key file of a stopped server; it seals and signs from the next start, the older ones still open
// and verify what they made (docs/security.md).
struct KeyOptions {
  std::string key_file;
  std::string data_dir;
};

void AddKeyCommands(CLI::App& app, KeyOptions& options, int& exit_code);

}  // namespace ec2m::app
