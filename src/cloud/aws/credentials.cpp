#include "cloud/aws/credentials.hpp"

#include <optional>

#include <fmt/format.h>

namespace ec2m::aws {

namespace {

std::string KeyOf(const IniSection& keys, std::string_view key) {
  auto it = keys.find(key);
  return it == keys.end() ? std::string() : it->second;
}

// Keys from one file's section: nullopt when the section has neither key.
Result<std::optional<ResolvedCredentials>> FromSection(const Profile& profile,
                                                       const IniSection& keys,
                                                       const std::string& path) {
  std::string id = KeyOf(keys, "aws_access_key_id");
  std::string secret = KeyOf(keys, "aws_secret_access_key");
  if (id.empty() && secret.empty()) {
    return std::optional<ResolvedCredentials>();
  }
  const std::string where = fmt::format("profile '{}' in {}", profile.name, path);
  if (secret.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                where + " has aws_access_key_id but no aws_secret_access_key");
  }
  if (id.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                where + " has aws_secret_access_key but no aws_access_key_id");
  }
  ResolvedCredentials rc;
  rc.credentials = {std::move(id), std::move(secret), KeyOf(keys, "aws_session_token")};
  rc.source = where;
  return std::optional<ResolvedCredentials>(std::move(rc));
}

std::string Tried(const Profile& profile, bool explicit_profile) {
  std::string tried;
  if (!explicit_profile) {
    tried = "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, ";
  }
  auto state = [](bool exists, bool in) {
    return !exists ? "no such file" : in ? "no keys" : "no such profile";
  };
  return tried + fmt::format("profile '{}' in {} ({}) and {} ({}, no credential_process)",
                             profile.name, profile.credentials_path,
                             state(profile.credentials_exists, profile.in_credentials),
                             profile.config_path, state(profile.config_exists, profile.in_config));
}

}  // namespace

Result<ResolvedCredentials> ResolveCredentials(const Profile& profile, bool explicit_profile,
                                               const Environment& env,
                                               std::chrono::milliseconds process_timeout) {
  if (!explicit_profile) {
    std::string id = env.Get("AWS_ACCESS_KEY_ID");
    if (!id.empty()) {
      std::string secret = env.Get("AWS_SECRET_ACCESS_KEY");
      if (secret.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
      }
      return ResolvedCredentials{
          {std::move(id), std::move(secret), env.Get("AWS_SESSION_TOKEN")}, "environment", ""};
    }
  }
  auto from_credentials = FromSection(profile, profile.credentials_keys, profile.credentials_path);
  if (!from_credentials) {
    return Fail(std::move(from_credentials).error());
  }
  if (*from_credentials) {
    return std::move(**from_credentials);
  }
  if (std::string command = profile.Get("credential_process"); !command.empty()) {
    auto pc = RunCredentialProcess(command, profile.name, process_timeout);
    if (!pc) {
      return Fail(std::move(pc).error());
    }
    return ResolvedCredentials{std::move(pc->credentials),
                               fmt::format("credential_process of profile '{}'", profile.name),
                               std::move(pc->expiration)};
  }
  auto from_config = FromSection(profile, profile.config_keys, profile.config_path);
  if (!from_config) {
    return Fail(std::move(from_config).error());
  }
  if (*from_config) {
    return std::move(**from_config);
  }
  return Fail(ErrorCode::kUnauthenticated,
              "no AWS credentials found; tried " + Tried(profile, explicit_profile));
}

std::string RedactedAccessKey(std::string_view id) {
  if (id.size() <= 8) {
    return std::string(id.size(), '*');
  }
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
         std::string(id.substr(id.size() - 4));
}

}  // namespace ec2m::aws
