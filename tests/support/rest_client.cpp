#include "support/rest_client.hpp"

#include "auth/base32.hpp"
#include "auth/totp.hpp"
#include "cloud/aws/http_client.hpp"
#include "core/clock.hpp"

namespace ec2m::testing {

Answer CallApi(const std::string& base_url, const std::string& method, const std::string& path,
               const std::string& token, const nlohmann::json& body) {
  aws::HttpClientOptions options;
  options.request_timeout = std::chrono::seconds(60);
  aws::HttpClient client(options);
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) {
    headers.emplace_back("Authorization", "Bearer " + token);
  }
  if (method != "GET") {
    headers.emplace_back("Content-Type", "application/json");
  }
  const aws::HttpResult res =
      client.Send(method, base_url + path, headers, body.is_null() ? "" : body.dump());
  Answer a;
  if (res.status == 0) {
    return a;
  }
  a.status = res.status;
  a.request_id = res.Header("X-Request-Id");
  a.body =
      res.body.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(res.body, nullptr, false);
  return a;
}

std::string LoginApi(const std::string& base_url, const std::string& email,
                     const std::string& password, const std::string& otp) {
  nlohmann::json body = {{"email", email}, {"password", password}};
  if (!otp.empty()) {
    body["otp"] = otp;
  }
  const Answer a = CallApi(base_url, "POST", "/api/v1/auth/login", "", body);
  return a.status == 200 && a.body.contains("token") ? a.body["token"].get<std::string>() : "";
}

std::string UserWithRoles(const std::string& base_url, const std::string& admin_token,
                          const std::string& email, const nlohmann::json& roles) {
  const std::string password = "Correct-Horse-42";
  const Answer created = CallApi(base_url, "POST", "/api/v1/users", admin_token,
                                 {{"email", email}, {"password", password}, {"roles", roles}});
  return created.status == 201 ? LoginApi(base_url, email, password) : "";
}

std::string TotpCode(const std::string& secret, std::chrono::seconds at_offset) {
  auto key = auth::Base32Decode(secret);
  return key ? auth::Totp(*key, SystemClock().Now() + at_offset) : "";
}

std::optional<MfaEnrolment> EnrolMfa(const std::string& base_url, const std::string& token,
                                     const std::string& password) {
  const Answer enrol =
      CallApi(base_url, "POST", "/api/v1/me/mfa/enroll", token, {{"password", password}});
  if (enrol.status != 200) {
    return std::nullopt;
  }
  MfaEnrolment out{enrol.body["secret"], {}};
  const Answer verified = CallApi(base_url, "POST", "/api/v1/me/mfa/verify", token,
                                  {{"otp", TotpCode(out.secret, std::chrono::seconds(0))}});
  if (verified.status != 200) {
    return std::nullopt;
  }
  out.recovery_codes = verified.body["recovery_codes"].get<std::vector<std::string>>();
  return out;
}

}  // namespace ec2m::testing
