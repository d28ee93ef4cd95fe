#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ec2m::testing {

// One answer of the REST API.
struct Answer {
  int status = 0;       // 0: nothing answered
  nlohmann::json body;  // null when empty; discarded when it is not JSON
  std::string request_id;
};

// METHOD path on `base_url` ("http://127.0.0.1:PORT") with a bearer token (none when empty) and a
// JSON body (none when null), as the console and the CLI send them.
Answer CallApi(const std::string& base_url, const std::string& method, const std::string& path,
               const std::string& token = "", const nlohmann::json& body = nullptr);

// A session token for email and password (and a TOTP code when given); "" when refused.
std::string LoginApi(const std::string& base_url, const std::string& email,
                     const std::string& password, const std::string& otp = "");

// Creates a user with `roles` ({"dev": "deployer"}) and password Correct-Horse-42 as the admin of
// `admin_token`, and signs them in; their token, or "" when either was refused.
std::string UserWithRoles(const std::string& base_url, const std::string& admin_token,
                          const std::string& email, const nlohmann::json& roles);

// What EnrolMfa set up.
struct MfaEnrolment {
  std::string secret;  // base32, for auth::Totp
  std::vector<std::string> recovery_codes;
};

// Enrols MFA for the user signed in with `token` (their `password` confirms it) with a code of
// the moment: afterwards the session of `token` is MFA-verified. nullopt when refused.
std::optional<MfaEnrolment> EnrolMfa(const std::string& base_url, const std::string& token,
                                     const std::string& password);

// A TOTP code of `secret` (base32) for `at_offset` from now: the enrolment used the current
// step, so a sign-in right after needs the next one (+30 s).
std::string TotpCode(const std::string& secret, std::chrono::seconds at_offset);

}  // namespace ec2m::testing
