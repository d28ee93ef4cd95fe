#pragma once

#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace ec2m::app {

// The credentials of `ec2m serve`'s embedded EC2 endpoint: the one access key the AWS CLI and
// SDKs sign with, and an admin key, distinct from the secret, for its /_ec2m/ endpoints.
struct Ec2Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string admin_key;
};

// Reads the credentials file at `path` (JSON with the three keys). When `generate` and the file
// does not exist, writes one (mode 0600) with fresh keys from `random` (a CSPRNG): an access key
// id "EC2M" + 16 letters and digits, a 40-character secret, an admin key "ec2m_a_..." Errors:
// kInvalidArgument naming the file when it does not parse, lacks a key, or can be read by others
// (mode wider than 0600); kNotFound when it does not exist and `generate` is false; kUnavailable
// when it cannot be written.
Result<Ec2Credentials> LoadEc2Credentials(const std::string& path, bool generate, Random& random);

}  // namespace ec2m::app
