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

Result<RetryMode> ParseMode(const std::string& value, const std::string& source) {
  if (auto mode = ParseRetryMode(value)) {
    return *mode;
  }
  return Fail(ErrorCode::kInvalidArgument,
              fmt::format("{}: expected standard, legacy or adaptive, got '{}'", source, value));
}

// A setting taken from environment variable `var`, else from profile key `key`: its value and
// where it came from, for error messages. Empty value: set in neither.
struct Setting {
  std::string value;
  std::string source;
};
Setting EnvThenProfile(const Environment& env, const Profile& profile, const char* var,
                       const char* key) {
  if (std::string v = env.Get(var); !v.empty()) {
    return {v, var};
  }
  return {profile.Get(key), profile.Where(key) + ": " + key};
}

// max_attempts and retry_mode into `s`.
Result<void> ResolveRetry(const Profile& profile, const Environment& env, AwsSettings& s) {
  if (Setting mode = EnvThenProfile(env, profile, "AWS_RETRY_MODE", "retry_mode");
      !mode.value.empty()) {
    auto parsed = ParseMode(mode.value, mode.source);
    EC2M_RETURN_IF_ERROR(parsed);
    s.retry_mode = *parsed;
  }
  s.max_attempts = PolicyFor(s.retry_mode).max_attempts;
  if (Setting attempts = EnvThenProfile(env, profile, "AWS_MAX_ATTEMPTS", "max_attempts");
      !attempts.value.empty()) {
    auto parsed = ParseMaxAttempts(attempts.value, attempts.source);
    EC2M_RETURN_IF_ERROR(parsed);
    s.max_attempts = *parsed;
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
