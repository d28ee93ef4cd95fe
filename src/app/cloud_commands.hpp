#pragma once

#include <string>

namespace CLI {
class App;
}

namespace ec2m::app {

// Options shared by `ec2m cloud check` and `ec2m cloud instances`.
struct CloudOptions {
  std::string provider = "aws";
  std::string region;
  std::string endpoint;
  std::string profile;
  std::string output = "table";
  std::string state;  // instances: only this state
};

// Adds `cloud check` and `cloud instances`: a direct, read-only look at an EC2 region (real AWS or
// any EC2-compatible endpoint) through the Query client, with the AWS CLI's credentials chain.
void AddCloudCommands(CLI::App& app, CloudOptions& options, int& exit_code);

}  // namespace ec2m::app
