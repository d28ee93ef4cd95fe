#pragma once

#include <string>
#include <string_view>

#include "cloud/aws/environment.hpp"
#include "cloud/aws/ini_file.hpp"
#include "core/error.hpp"

// The AWS shared credentials and config files, and the profiles in them.
namespace ec2m::aws {

// Both shared files, read once. Plain value.
struct SharedFiles {
  IniFile credentials;  // AWS_SHARED_CREDENTIALS_FILE, else $HOME/.aws/credentials
  IniFile config;       // AWS_CONFIG_FILE, else $HOME/.aws/config
};

// Reads both files; a missing file is empty, not an error. A leading "~/" in either variable is
// expanded with HOME. Errors: those of ReadIniFile (kInvalidArgument naming the file and line).
Result<SharedFiles> LoadSharedFiles(const Environment& env);

// One profile as seen through both files: `[name]` in the credentials file, and in the config
// file `[profile name]` (or, for "default", `[default]` and `[profile default]`, the latter
// winning). Other config sections (`[name]`, `[sso-session x]`, ...) are not profiles.
// Holds copies; a plain value.
struct Profile {
  std::string name;
  std::string credentials_path;
  std::string config_path;
  bool credentials_exists = false;  // the files themselves
  bool config_exists = false;
  bool in_credentials = false;  // the profile's section(s)
  bool in_config = false;
  IniSection credentials_keys;
  IniSection config_keys;

  bool found() const { return in_credentials || in_config; }
  // The key's value, the credentials file winning over the config file (as botocore merges
  // them); "" when absent.
  std::string Get(std::string_view key) const;
  // "profile 'x' in <path of the file that supplies key>"; for messages.
  std::string Where(std::string_view key) const;
};

Profile FindProfile(const SharedFiles& files, std::string_view name);

}  // namespace ec2m::aws
