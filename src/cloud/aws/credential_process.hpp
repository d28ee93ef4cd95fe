#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "cloud/sigv4/sigv4.hpp"
#include "core/error.hpp"

// The `credential_process` provider of the AWS CLI/SDKs: run a command, read credentials from the
// JSON it prints.
namespace ec2m::aws {

// What a credential process returned.
struct ProcessCredentials {
  sigv4::Credentials credentials;
  std::string expiration;  // ISO 8601 as printed, "" for long-term credentials
};

// The AWS CLI's limit is 60 s; tests pass a shorter one.
inline constexpr std::chrono::milliseconds kDefaultCredentialProcessTimeout{60'000};

// Runs `command` through `/bin/sh -c` with stdin /dev/null, stdout captured (at most 1 MiB) and
// stderr inherited (the command's own diagnostics; unlike botocore, which copies stderr into its
// error, ec2m puts neither stream in a message), in its own process group, and parses stdout as
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}.
// Blocks the calling thread up to `timeout`; then the whole process group is killed.
// Thread-safe (no shared state), but forks: call it at start-up, not from a hot path.
// Errors, each naming `profile` and never quoting the command's output (it holds secrets):
//   kUnauthenticated: the command could not be started, exited non-zero (the status is named),
//                     was killed by a signal, printed too much, printed something other than a
//                     JSON object, a Version other than 1, or no AccessKeyId/SecretAccessKey;
//   kTimeout: it did not finish within `timeout`.
Result<ProcessCredentials> RunCredentialProcess(
    std::string_view command, std::string_view profile,
    std::chrono::milliseconds timeout = kDefaultCredentialProcessTimeout);

// The parsing half of RunCredentialProcess, for tests. Errors: kUnauthenticated as above.
Result<ProcessCredentials> ParseCredentialProcessOutput(std::string_view output,
                                                        std::string_view profile);

}  // namespace ec2m::aws
