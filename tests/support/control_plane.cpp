#include "support/control_plane.hpp"

#include <filesystem>
#include <fstream>
#include <regex>

#include "support/terminal.hpp"

namespace ec2m::testing {

ControlPlane::ControlPlane(std::string dir, const std::map<std::string, std::string>& environments,
                           const std::string& settings)
    : dir_(std::move(dir)) {
  namespace fs = std::filesystem;
  fs::create_directories(fs::path(dir_) / "config");
  for (const auto& [name, text] : environments) {
    std::ofstream(fs::path(dir_) / "config" / (name + ".json")) << text;
  }
  std::ofstream(fs::path(dir_) / "ec2m.json")
      << R"({"listen":"127.0.0.1:0","data_dir":"data","environments_dir":"config",)"
      << R"("ec2_listen":"127.0.0.1:0","access_log":false)" << settings << "}";
}

ControlPlane::~ControlPlane() { Stop(); }

bool ControlPlane::Start() {
  process_ = std::make_unique<Subprocess>();
  if (!process_->Start({EC2M_BINARY, "serve", "--config", dir_ + "/ec2m.json"})) {
    error_ = "cannot start " + std::string(EC2M_BINARY);
    return false;
  }
  static const std::regex console(R"(^Console: (https?://127\.0\.0\.1:\d+)/$)");
  static const std::regex admin(R"(^Admin: (\S+) (\S+)$)");
  static const std::regex ec2(
      R"(^EC2 endpoint: (http://\S+) \(region \S+, access key ([^,]+), secret ([^)]+)\)$)");
  for (;;) {
    auto line = process_->ReadLine(std::chrono::seconds(60));
    if (!line) {
      error_ = "ec2m serve ended or stalled before its Console line";
      return false;
    }
    std::smatch m;
    if (std::regex_match(*line, m, ec2)) {
      ec2_url_ = m[1];
      ec2_access_key_ = m[2];
      ec2_secret_key_ = m[3];
    } else if (std::regex_match(*line, m, admin)) {
      admin_email_ = m[1];
      admin_password_ = m[2];
    } else if (std::regex_match(*line, m, console)) {
      url_ = m[1];
      return true;
    }
  }
}

int ControlPlane::Stop() {
  if (!process_) {
    return -1;
  }
  const int status = process_->Stop();
  process_.reset();
  return status;
}

void ControlPlane::Kill() {
  if (process_) {
    process_->Stop(9);
    process_.reset();
  }
}

CommandResult ControlPlane::Ec2mAtTerminal(const std::vector<std::string>& args,
                                           const std::string& input) const {
  std::vector<std::string> argv = {EC2M_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunInTerminal(argv, input, {{"EC2M_CONFIG_DIR", dir_ + "/cli"}});
}

bool ControlPlane::LoginAdmin() const {
  return Ec2m({"login", "--server", url_, "--email", admin_email_, "--password-stdin"},
              admin_password_)
             .exit_code == 0;
}

CommandResult ControlPlane::Ec2m(const std::vector<std::string>& args,
                                 const std::string& input) const {
  std::vector<std::string> argv = {"/bin/sh", "-c", "printf '%s' \"$0\" | \"$@\"", input,
                                   EC2M_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, {{"EC2M_CONFIG_DIR", dir_ + "/cli"}});
}

std::string SimEnvironment(const std::string& name, bool mfa_required, bool self_signup) {
  return R"({"environment":")" + name +
         R"(","region":"us-west-2","cloud":{"provider":"sim"},"cognito":{"mfaRequired":)" +
         (mfa_required ? "true" : "false") + R"(,"selfSignUpEnabled":)" +
         (self_signup ? "true" : "false") + "}}";
}

}  // namespace ec2m::testing
