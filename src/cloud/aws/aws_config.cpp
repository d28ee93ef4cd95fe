#include "cloud/aws/aws_config.hpp"

#include <charconv>

#include <fmt/format.h>

#include "cloud/aws/credentials.hpp"
#include "cloud/aws/shared_files.hpp"

namespace ec2m::aws {

namespace {

constexpr int kMinAttempts = 1;
constexpr int kMaxAttempts = 20;

std::string FirstOf(std::initializer_list<std::string> values) {
  for (const std::string& v : values) {
    if (!v.empty()) {
      return v;
    }
  }
  return "";
}

// `value` from `source` ("AWS_MAX_ATTEMPTS" or "profile 'x' in <file>: max_attempts").
Result<int> ParseMaxAttempts(const std::string& value, const std::string& source) {
  int n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < kMinAttempts ||
      n > kMaxAttempts) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: expected an integer {}..{}, got '{}'", source, kMinAttempts,
                            kMaxAttempts, value));
  }
  return n;
}

Result<void> CheckRetryMode(const std::string& value, const std::string& source) {
  if (value == "standard" || value == "legacy" || value == "adaptive") {
    return {};
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("{}: expected standard, legacy or adaptive, got '{}'", source, value));
}

// max_attempts and retry_mode into `s`.
Result<void> ResolveRetry(const Profile& profile, const Environment& env, AwsSettings& s) {
  if (std::string v = env.Get("AWS_MAX_ATTEMPTS"); !v.empty()) {
    auto n = ParseMaxAttempts(v, "AWS_MAX_ATTEMPTS");
    EC2M_RETURN_IF_ERROR(n);
    s.max_attempts = *n;
  } else if (std::string pv = profile.Get("max_attempts"); !pv.empty()) {
    auto n = ParseMaxAttempts(pv, profile.Where("max_attempts") + ": max_attempts");
    EC2M_RETURN_IF_ERROR(n);
    s.max_attempts = *n;
  }
  if (std::string v = env.Get("AWS_RETRY_MODE"); !v.empty()) {
    EC2M_RETURN_IF_ERROR(CheckRetryMode(v, "AWS_RETRY_MODE"));
    s.retry_mode = v;
  } else if (std::string pv = profile.Get("retry_mode"); !pv.empty()) {
    EC2M_RETURN_IF_ERROR(CheckRetryMode(pv, profile.Where("retry_mode") + ": retry_mode"));
    s.retry_mode = pv;
  }
  return {};
}

}  // namespace

Result<AwsSettings> ResolveSettings(const SettingsRequest& req, const Environment& env) {
  const bool explicit_profile = !req.profile.empty();
  AwsSettings s;
  s.profile = FirstOf({req.profile, env.Get("AWS_PROFILE"), "default"});
  auto files = LoadSharedFiles(env);
  if (!files) {
    return Fail(std::move(files).error());
  }
  Profile profile = FindProfile(*files, s.profile);
  // botocore: a profile that was named (flag or AWS_PROFILE) must exist; an absent "default" is
  // just empty, unless --profile default named it.
  if (!profile.found() && (explicit_profile || s.profile != "default")) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("profile '{}' not found in {} or {}", s.profile,
                            profile.credentials_path, profile.config_path));
  }
  auto creds = ResolveCredentials(profile, explicit_profile, env, req.credential_process_timeout);
  if (!creds) {
    return Fail(std::move(creds).error());
  }
  s.credentials = std::move(creds->credentials);
  s.source = std::move(creds->source);
  s.credentials_expiration = std::move(creds->expiration);
  s.region = FirstOf(
      {req.region, env.Get("AWS_REGION"), env.Get("AWS_DEFAULT_REGION"), profile.Get("region")});
  EC2M_RETURN_IF_ERROR(ResolveRetry(profile, env, s));
  s.endpoint_url = FirstOf({req.endpoint_url, env.Get("AWS_ENDPOINT_URL_EC2"),
                            env.Get("AWS_ENDPOINT_URL"), profile.Get("endpoint_url")});
  return s;
}

}  // namespace ec2m::aws
