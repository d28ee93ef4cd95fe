#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cloud/aws/credential_process.hpp"
#include "cloud/aws/environment.hpp"
#include "cloud/aws/shared_files.hpp"
#include "cloud/sigv4/sigv4.hpp"
#include "core/error.hpp"

// The AWS CLI's credential provider chain, for the providers ec2m supports (no SSO, assume-role,
// web identity or instance metadata).
namespace ec2m::aws {

// Credentials and where they came from.
struct ResolvedCredentials {
  sigv4::Credentials credentials;
  // "environment", "profile 'staging' in /root/.aws/credentials",
  // "credential_process of profile 'x'".
  std::string source;
  std::string expiration;  // ISO 8601 from a credential_process, else ""
};

// Walks the chain, first match wins:
//   1. unless `explicit_profile` (--profile was given): AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY
//      (+ AWS_SESSION_TOKEN) from `env`;
//   2. aws_access_key_id / aws_secret_access_key (/ aws_session_token) in the profile's section
//      of the credentials file;
//   3. credential_process of the profile (credentials file winning over the config file), run
//      with `process_timeout`;
//   4. the same keys in the profile's section of the config file.
// REQUIRES: `profile` came from FindProfile on the files in use.
// Errors (messages never contain a secret):
//   kInvalidArgument: AWS_ACCESS_KEY_ID set without AWS_SECRET_ACCESS_KEY; a profile section with
//     only one of the two keys ("profile 'staging' in /root/.aws/credentials has
//     aws_access_key_id but no aws_secret_access_key");
//   kUnauthenticated / kTimeout: those of RunCredentialProcess;
//   kUnauthenticated: nothing found, the message listing what was tried.
Result<ResolvedCredentials> ResolveCredentials(
    const Profile& profile, bool explicit_profile, const Environment& env,
    std::chrono::milliseconds process_timeout = kDefaultCredentialProcessTimeout);

// "AKIA************MPLE": the first and last 4 characters, the rest as '*'. Ids of 8 characters
// or fewer are all '*'. Safe to print.
std::string RedactedAccessKey(std::string_view id);

}  // namespace ec2m::aws
