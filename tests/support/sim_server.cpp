#include "support/sim_server.hpp"

#include <unistd.h>

#include <regex>

namespace ec2m::testing {

SimServer::SimServer(std::string data_dir, std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {}

SimServer::~SimServer() { Stop(); }

bool SimServer::Start() {
  process_ = std::make_unique<Subprocess>();
  std::vector<std::string> argv = {EC2M_BINARY,   "sim",        "serve",  "--listen",
                                   "127.0.0.1:0", "--data-dir", data_dir_};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  if (!process_->Start(argv)) {
    error_ = "cannot start " + std::string(EC2M_BINARY);
    return false;
  }
  auto line = process_->ReadLine(std::chrono::seconds(30));
  static const std::regex ready(R"(serving \S+ at (http://127\.0\.0\.1:\d+))");
  std::smatch m;
  if (!line || !std::regex_search(*line, m, ready)) {
    error_ = "no readiness line from ec2m sim serve (got: " + line.value_or("<eof>") + ")";
    return false;
  }
  endpoint_ = m[1];
  return true;
}

int SimServer::Stop() {
  if (!process_) {
    return -1;
  }
  const int status = process_->Stop();
  process_.reset();
  return status;
}

std::string AwsCliPath() {
  if (access("/usr/bin/aws", X_OK) == 0) {
    return "/usr/bin/aws";
  }
  return "aws";
}

CommandResult Aws(const std::string& endpoint, const std::vector<std::string>& args,
                  const std::string& secret) {
  std::vector<std::string> argv = {AwsCliPath(), "--endpoint-url", endpoint, "--output", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {{"AWS_ACCESS_KEY_ID", "test"},
                           {"AWS_SECRET_ACCESS_KEY", secret},
                           {"AWS_DEFAULT_REGION", "us-west-2"},
                           {"AWS_PAGER", ""},
                           {"AWS_CONFIG_FILE", "/dev/null"},
                           {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                           {"AWS_MAX_ATTEMPTS", "1"},
                           {"AWS_RETRY_MODE", "standard"}});
}

}  // namespace ec2m::testing
