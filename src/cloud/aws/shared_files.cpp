#include "cloud/aws/shared_files.hpp"

#include <fmt/format.h>

namespace ec2m::aws {

namespace {

std::string FilePath(const Environment& env, std::string_view var, std::string_view leaf) {
  std::string path = env.Get(var);
  const std::string home = env.Get("HOME");
  if (path.empty()) {
    return fmt::format("{}/.aws/{}", home.empty() ? "~" : home, leaf);
  }
  if (path.starts_with("~/") && !home.empty()) {
    return home + path.substr(1);
  }
  return path;
}

// The profile a config section names: "default" for `[default]`, "x" for `[profile x]` (or
// `[profile "x"]`, as botocore's shlex split allows); "" for any other section.
std::string ConfigProfileName(std::string_view section) {
  if (section == "default") {
    return "default";
  }
  constexpr std::string_view kPrefix = "profile";
  if (!section.starts_with(kPrefix) || section.size() == kPrefix.size() ||
      (section[kPrefix.size()] != ' ' && section[kPrefix.size()] != '\t')) {
    return "";
  }
  std::string_view rest = section.substr(kPrefix.size());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) {
    rest.remove_prefix(1);
  }
  if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'') &&
      rest.back() == rest.front()) {
    rest = rest.substr(1, rest.size() - 2);
  }
  return std::string(rest);
}

}  // namespace

Result<SharedFiles> LoadSharedFiles(const Environment& env) {
  auto credentials = ReadIniFile(FilePath(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"));
  if (!credentials) {
    return Fail(std::move(credentials).error());
  }
  auto config = ReadIniFile(FilePath(env, "AWS_CONFIG_FILE", "config"));
  if (!config) {
    return Fail(std::move(config).error());
  }
  return SharedFiles{std::move(*credentials), std::move(*config)};
}

std::string Profile::Get(std::string_view key) const {
  if (auto it = credentials_keys.find(key); it != credentials_keys.end() && !it->second.empty()) {
    return it->second;
  }
  if (auto it = config_keys.find(key); it != config_keys.end()) {
    return it->second;
  }
  return "";
}

std::string Profile::Where(std::string_view key) const {
  auto it = credentials_keys.find(key);
  bool from_credentials = it != credentials_keys.end() && !it->second.empty();
  return fmt::format("profile '{}' in {}", name, from_credentials ? credentials_path : config_path);
}

Profile FindProfile(const SharedFiles& files, std::string_view name) {
  Profile p;
  p.name = std::string(name);
  p.credentials_path = files.credentials.path;
  p.config_path = files.config.path;
  p.credentials_exists = files.credentials.exists;
  p.config_exists = files.config.exists;
  if (const IniSection* s = files.credentials.Find(name)) {
    p.in_credentials = true;
    p.credentials_keys = *s;
  }
  // `[default]` first, so that `[profile default]` (which sorts after it) wins key by key.
  for (const auto& [section, keys] : files.config.sections) {
    if (ConfigProfileName(section) == name) {
      p.in_config = true;
      for (const auto& [k, v] : keys) {
        p.config_keys[k] = v;
      }
    }
  }
  return p;
}

}  // namespace ec2m::aws
