#include "config/environment.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/json_object.hpp"

namespace ec2m::config {
namespace {

bool IsName(const std::string& s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsAccountId(const std::string& s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "10.0.0.0/16": four octets 0..255 and a prefix length 8..28 (what a VPC accepts is /16../28;
// /8 is allowed for private ranges a team splits further).
bool IsCidr(const std::string& s) {
  int a = 0;
  int b = 0;
  int c = 0;
  int d = 0;
  int len = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%d.%d.%d.%d/%d%c", &a, &b, &c, &d, &len, &tail) != 5) {
    return false;
  }
  for (int octet : {a, b, c, d}) {
    if (octet < 0 || octet > 255) {
      return false;
    }
  }
  return len >= 8 && len <= 28;
}

Result<void> ReadCloud(JsonObject& doc, CloudConfig& cloud) {
  auto obj = doc.OptObject("cloud");
  EC2M_RETURN_IF_ERROR(obj);
  if (!*obj) {
    return {};
  }
  JsonObject& c = **obj;
  auto provider = c.StringOr("provider", cloud.provider, {"sim", "aws"});
  EC2M_RETURN_IF_ERROR(provider);
  cloud.provider = *provider;
  auto endpoint = c.StringOr("endpoint", "");
  EC2M_RETURN_IF_ERROR(endpoint);
  cloud.endpoint = *endpoint;
  auto profile = c.StringOr("profile", "");
  EC2M_RETURN_IF_ERROR(profile);
  cloud.profile = *profile;
  EC2M_RETURN_IF_ERROR(c.Finish());
  if (cloud.provider == "sim" && (!cloud.endpoint.empty() || !cloud.profile.empty())) {
    return c.Invalid(cloud.endpoint.empty() ? "profile" : "endpoint",
                     "only for provider \"aws\"; the simulated region needs neither");
  }
  if (!cloud.endpoint.empty() && cloud.endpoint.rfind("http://", 0) != 0 &&
      cloud.endpoint.rfind("https://", 0) != 0) {
    return c.Invalid("endpoint",
                     "expected an http:// or https:// URL, got \"" + cloud.endpoint + "\"");
  }
  return {};
}

}  // namespace

Result<EnvironmentConfig> ParseEnvironmentConfig(std::string_view text, const std::string& file) {
  auto doc = JsonObject::Parse(text, file);
  EC2M_RETURN_IF_ERROR(doc);
  EnvironmentConfig e;
  e.file = file;
  auto name = doc->String("environment");
  EC2M_RETURN_IF_ERROR(name);
  if (!IsName(*name)) {
    return doc->Invalid(
        "environment",
        "expected lower-case letters, digits and '-' (1..32), got \"" + *name + "\"");
  }
  e.name = *name;
  auto region = doc->String("region");
  EC2M_RETURN_IF_ERROR(region);
  e.region = *region;
  auto account = doc->StringOr("accountId", "123456789012");
  EC2M_RETURN_IF_ERROR(account);
  if (!IsAccountId(*account)) {
    return doc->Invalid("accountId", "expected 12 digits, got \"" + *account + "\"");
  }
  e.account_id = *account;
  EC2M_RETURN_IF_ERROR(ReadCloud(*doc, e.cloud));

  auto vpc = doc->OptObject("vpc");
  EC2M_RETURN_IF_ERROR(vpc);
  if (*vpc) {
    auto cidr = (*vpc)->StringOr("cidr", e.vpc_cidr);
    EC2M_RETURN_IF_ERROR(cidr);
    if (!IsCidr(*cidr)) {
      return (*vpc)->Invalid("cidr",
                             "expected an IPv4 CIDR like 10.0.0.0/16, got \"" + *cidr + "\"");
    }
    e.vpc_cidr = *cidr;
    auto azs = (*vpc)->OptInt("maxAzs", 1, 6);
    EC2M_RETURN_IF_ERROR(azs);
    e.vpc_max_azs = azs->value_or(e.vpc_max_azs);
    EC2M_RETURN_IF_ERROR((*vpc)->Finish());
  }
  auto cognito = doc->OptObject("cognito");
  EC2M_RETURN_IF_ERROR(cognito);
  if (*cognito) {
    auto mfa = (*cognito)->OptBool("mfaRequired");
    EC2M_RETURN_IF_ERROR(mfa);
    e.mfa_required = mfa->value_or(false);
    auto signup = (*cognito)->OptBool("selfSignUpEnabled");
    EC2M_RETURN_IF_ERROR(signup);
    e.self_signup_enabled = signup->value_or(false);
    EC2M_RETURN_IF_ERROR((*cognito)->Finish());
  }
  auto monitoring = doc->OptObject("monitoring");
  EC2M_RETURN_IF_ERROR(monitoring);
  if (*monitoring) {
    auto detailed = (*monitoring)->OptBool("detailedMonitoring");
    EC2M_RETURN_IF_ERROR(detailed);
    e.detailed_monitoring = detailed->value_or(false);
    auto days = (*monitoring)->OptInt("logRetentionDays", 1, 3653);
    EC2M_RETURN_IF_ERROR(days);
    e.log_retention_days = days->value_or(e.log_retention_days);
    EC2M_RETURN_IF_ERROR((*monitoring)->Finish());
  }
  EC2M_RETURN_IF_ERROR(doc->Finish());
  return e;
}

Result<std::vector<EnvironmentConfig>> LoadEnvironments(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kInvalidArgument, dir + ": not a directory of environment configs");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<EnvironmentConfig> envs;
  envs.reserve(files.size());
  for (const fs::path& path : files) {
    std::ifstream in(path);
    if (!in) {
      return Fail(ErrorCode::kInvalidArgument,
                  path.string() + ": cannot be read (" + std::strerror(errno) + ")");
    }
    std::stringstream text;
    text << in.rdbuf();
    auto env = ParseEnvironmentConfig(text.str(), path.string());
    EC2M_RETURN_IF_ERROR(env);
    if (env->name != path.stem().string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  path.string() + ": $.environment: expected \"" + path.stem().string() +
                      "\" (the file's name), got \"" + env->name + "\"");
    }
    envs.push_back(std::move(*env));
  }
  return envs;
}

}  // namespace ec2m::config
