#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/subprocess.hpp"

namespace ec2m::testing {

// `ec2m sim serve` started as a child process on a free loopback port, over a data dir that
// outlives restarts of the server. Start() waits for the readiness line, never on a sleep.
class SimServer {
 public:
  explicit SimServer(std::string data_dir, std::vector<std::string> extra_args = {});
  ~SimServer();

  // Starts the server; false with a reason in `error()` when it did not become ready.
  bool Start();
  // Stops with SIGTERM; returns the exit status.
  int Stop();
  const std::string& endpoint() const { return endpoint_; }
  const std::string& error() const { return error_; }

 private:
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  std::unique_ptr<Subprocess> process_;
  std::string endpoint_;
  std::string error_;
};

// The AWS CLI to test with: Debian's awscli (/usr/bin/aws) when installed, else `aws` on PATH.
std::string AwsCliPath();

// Runs `aws --endpoint-url ENDPOINT --output json ARGS...` with access key test/test (or the
// given secret), region us-west-2, no pager and no user config.
CommandResult Aws(const std::string& endpoint, const std::vector<std::string>& args,
                  const std::string& secret = "test");

}  // namespace ec2m::testing
