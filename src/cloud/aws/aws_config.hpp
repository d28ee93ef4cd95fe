#pragma once

#include <chrono>
#include <string>

#include "cloud/aws/credential_process.hpp"
#include "cloud/aws/environment.hpp"
#include "cloud/aws/retry.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "core/error.hpp"

// Everything ec2m needs to call AWS, found the way the AWS CLI finds it: flags, environment
// variables, then the shared credentials and config files.
namespace ec2m::aws {

// The resolved settings. Plain value. `credentials` is secret: print only
// RedactedAccessKey(credentials.access_key_id) and `source`.
struct AwsSettings {
  sigv4::Credentials credentials;
  std::string region;   // may be empty: the caller decides whether that is an error
  std::string profile;  // the profile in use ("default" when none was named)
  // Where the credentials came from: "environment", "profile 'staging' in
  // /root/.aws/credentials", "credential_process of profile 'x'".
  std::string source;
  std::string credentials_expiration;  // ISO 8601 from a credential_process, else ""
  RetryMode retry_mode = RetryMode::kStandard;
  int max_attempts = 3;      // when unset: 3, or 5 in legacy mode
  std::string endpoint_url;  // "" = the service's default endpoint
};

// What the command line says.
struct SettingsRequest {
  std::string profile;       // --profile; empty = AWS_PROFILE, else "default"
  std::string region;        // --region
  std::string endpoint_url;  // --endpoint-url
  std::chrono::milliseconds credential_process_timeout = kDefaultCredentialProcessTimeout;
};

// Resolves every setting; each takes the first source that has it:
//   credentials   see ResolveCredentials (an explicit --profile skips the environment keys)
//   region        req.region, AWS_REGION, AWS_DEFAULT_REGION, profile `region`
//   max_attempts  AWS_MAX_ATTEMPTS, profile `max_attempts`, the mode's default (3; legacy 5);
//                 must be an integer 1..20
//   retry_mode    AWS_RETRY_MODE, profile `retry_mode`, "standard"; standard|legacy|adaptive
//   endpoint_url  req.endpoint_url, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL, profile
//                 `endpoint_url`
// Profile keys are read from the credentials file first, then the config file.
// Blocks while a credential_process runs. Thread-safe if `env` is.
// Errors (messages never contain a secret):
//   kInvalidArgument: a named profile (--profile or AWS_PROFILE other than "default") found in
//     neither file ("profile 'staging' not found in /root/.aws/credentials or
//     /root/.aws/config"); an unparsable file (file:line); a bad max_attempts or retry_mode
//     (naming the variable or the profile and file); those of ResolveCredentials;
//   kUnauthenticated / kTimeout: those of ResolveCredentials.
Result<AwsSettings> ResolveSettings(const SettingsRequest& req, const Environment& env);

}  // namespace ec2m::aws
