// The admin endpoints of QueryServer, under /_ec2m/.

#include <nlohmann/json.hpp>

#include "core/digest.hpp"
#include "core/text.hpp"
#include "sim/endpoint/query_server.hpp"
#include "sim/region.hpp"
#include "sim/sim_config.hpp"

namespace ec2m::sim {

namespace {

constexpr char kJsonContentType[] = "application/json";
constexpr char kAdminKeyHeader[] = "X-Ec2m-Admin-Key";

std::string Dump(const nlohmann::json& j) {
  // Messages may echo input bytes that are not UTF-8; replace them rather than throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void ReplyJson(http::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.body = Dump(body);
  res.Set("Content-Type", kJsonContentType);
}

void ReplyError(http::Response& res, int status, ErrorCode code, const std::string& message) {
  ReplyJson(res, status,
            {{"error", {{"code", std::string(ErrorCodeName(code))}, {"message", message}}}});
}

}  // namespace

bool QueryServer::IsAdminKey(const std::string& key) const {
  // Compared as digests, so neither the contents nor the length of a secret shows in the time.
  const std::string given = Sha256Hex(key);
  if (!admin_key_.empty()) {
    return ConstantTimeEquals(given, Sha256Hex(admin_key_));
  }
  bool match = false;
  for (const auto& [access_key_id, secret] : credentials_) {
    match |= !key.empty() && ConstantTimeEquals(given, Sha256Hex(secret));
  }
  return match;
}

void QueryServer::HandleAdmin(const http::Request& req, http::Response& res) {
  if (!IsAdminKey(std::string(req.Header(kAdminKeyHeader)))) {
    ReplyError(
        res, 401, ErrorCode::kUnauthenticated,
        std::string("the ") + kAdminKeyHeader +
            (admin_key_.empty() ? " header must carry the secret key of a configured credential"
                                : " header must carry the endpoint's admin key"));
    return;
  }
  const std::string& path = req.path;
  if (path == "/_ec2m/health" && req.method == "GET") {
    nlohmann::json body = {{"status", "ok"}, {"region", region_}};
    if (admin_) {
      body["instances"] = admin_->InstanceCount();
    }
    ReplyJson(res, 200, body);
    return;
  }
  const bool known = path == "/_ec2m/reset" || path == "/_ec2m/faults";
  if (!known) {
    ReplyError(res, 404, ErrorCode::kNotFound,
               "no admin endpoint " + ShownValue(req.method) + " " + ShownValue(path));
    return;
  }
  if (!admin_) {
    ReplyError(res, 404, ErrorCode::kNotFound, "no simulated region behind this endpoint");
    return;
  }
  if (path == "/_ec2m/reset" && req.method == "POST") {
    if (auto reset = admin_->Reset(); !reset) {
      ReplyError(res, 500, reset.error().code, reset.error().message);
      return;
    }
    ReplyJson(res, 200, {{"status", "ok"}});
    return;
  }
  if (path == "/_ec2m/faults" && req.method == "GET") {
    res.status = 200;
    res.body = FaultConfigToJson(admin_->faults());
    res.Set("Content-Type", kJsonContentType);
    return;
  }
  if (path == "/_ec2m/faults" && req.method == "PUT") {
    auto faults = ParseFaultConfig(req.body);
    if (!faults) {
      ReplyError(res, 400, faults.error().code, faults.error().message);
      return;
    }
    admin_->SetFaults(std::move(*faults));
    res.status = 200;
    res.body = FaultConfigToJson(admin_->faults());
    res.Set("Content-Type", kJsonContentType);
    return;
  }
  ReplyError(res, 405, ErrorCode::kInvalidArgument,
             "method " + ShownValue(req.method) + " is not allowed on " + ShownValue(path));
}

}  // namespace ec2m::sim
