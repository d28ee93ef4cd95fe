#include "config/serve_config.hpp"

#include "config/json_object.hpp"

#include <tuple>

#include "core/files.hpp"
#include "core/text.hpp"

namespace ec2m::config {

Result<ServeConfig> ParseServeConfig(std::string_view text, const std::string& source) {
  auto doc = JsonObject::Parse(text, source);
  EC2M_RETURN_IF_ERROR(doc);
  ServeConfig c;
  auto str = [&](const char* key, std::string& into,
                 const std::vector<std::string>& allowed = {}) -> Result<void> {
    auto v = doc->StringOr(key, into, allowed);
    EC2M_RETURN_IF_ERROR(v);
    into = std::move(*v);
    return {};
  };
  auto num = [&](const char* key, int64_t& into, int64_t min, int64_t max) -> Result<void> {
    auto v = doc->OptInt(key, min, max);
    EC2M_RETURN_IF_ERROR(v);
    into = v->value_or(into);
    return {};
  };
  EC2M_RETURN_IF_ERROR(str("listen", c.listen));
  EC2M_RETURN_IF_ERROR(str("data_dir", c.data_dir));
  EC2M_RETURN_IF_ERROR(str("store", c.store, {"sqlite", "postgres"}));
  EC2M_RETURN_IF_ERROR(str("store_url", c.store_url));
  EC2M_RETURN_IF_ERROR(str("environments_dir", c.environments_dir));
  EC2M_RETURN_IF_ERROR(str("tls_cert", c.tls_cert));
  EC2M_RETURN_IF_ERROR(str("tls_key", c.tls_key));
  EC2M_RETURN_IF_ERROR(str("ec2_listen", c.ec2_listen));
  EC2M_RETURN_IF_ERROR(str("log_format", c.log_format, {"json", "text"}));
  EC2M_RETURN_IF_ERROR(num("max_body_bytes", c.max_body_bytes, 1024, int64_t{1} << 30));
  EC2M_RETURN_IF_ERROR(num("reconcile_seconds", c.reconcile_seconds, 1, 86400));
  EC2M_RETURN_IF_ERROR(num("apply_lease_seconds", c.apply_lease_seconds, 1, 3600));
  EC2M_RETURN_IF_ERROR(num("alarm_evaluation_seconds", c.alarm_evaluation_seconds, 1, 3600));
  EC2M_RETURN_IF_ERROR(num("collector_seconds", c.collector_seconds, 1, 86400));
  EC2M_RETURN_IF_ERROR(str("sim_config", c.sim_config));
  EC2M_RETURN_IF_ERROR(str("console_dir", c.console_dir));
  EC2M_RETURN_IF_ERROR(str("admin_email", c.admin_email));
  EC2M_RETURN_IF_ERROR(str("key_file", c.key_file));
  EC2M_RETURN_IF_ERROR(str("ec2_credentials", c.ec2_credentials));
  EC2M_RETURN_IF_ERROR(str("metrics_token", c.metrics_token));
  EC2M_RETURN_IF_ERROR(num("ready_check_seconds", c.ready_check_seconds, 1, 3600));
  auto http = doc->OptObject("http");
  EC2M_RETURN_IF_ERROR(http);
  if (*http) {
    HttpSettings& h = c.http;
    for (auto [key, into, min, max] :
         {std::tuple{"worker_threads", &h.worker_threads, int64_t{1}, int64_t{1024}},
          std::tuple{"max_queued", &h.max_queued, int64_t{1}, int64_t{1} << 20},
          std::tuple{"max_header_bytes", &h.max_header_bytes, int64_t{1024}, int64_t{1} << 20},
          std::tuple{"max_headers", &h.max_headers, int64_t{8}, int64_t{10000}},
          std::tuple{"header_timeout_ms", &h.header_timeout_ms, int64_t{100}, int64_t{600000}},
          std::tuple{"body_timeout_ms", &h.body_timeout_ms, int64_t{100}, int64_t{3600000}},
          std::tuple{"idle_timeout_ms", &h.idle_timeout_ms, int64_t{100}, int64_t{3600000}},
          std::tuple{"request_timeout_ms", &h.request_timeout_ms, int64_t{100}, int64_t{3600000}},
          std::tuple{"max_connections", &h.max_connections, int64_t{1}, int64_t{1000000}},
          std::tuple{"rate_limit_per_second", &h.rate_limit_per_second, int64_t{0},
                     int64_t{1000000}},
          std::tuple{"rate_limit_burst", &h.rate_limit_burst, int64_t{1}, int64_t{10000000}}}) {
      auto v = (*http)->OptInt(key, min, max);
      EC2M_RETURN_IF_ERROR(v);
      *into = v->value_or(*into);
    }
    EC2M_RETURN_IF_ERROR((*http)->Finish());
  }
  auto access_log = doc->OptBool("access_log");
  EC2M_RETURN_IF_ERROR(access_log);
  c.access_log = access_log->value_or(true);
  auto demo = doc->OptBool("demo");
  EC2M_RETURN_IF_ERROR(demo);
  c.demo = demo->value_or(false);
  EC2M_RETURN_IF_ERROR(doc->Finish());
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    return doc->Invalid(c.tls_cert.empty() ? "tls_cert" : "tls_key",
                        "tls_cert and tls_key go together: set both or neither");
  }
  if (c.store == "postgres" && c.store_url.empty()) {
    return doc->Invalid("store_url", "required when store is postgres");
  }
  if (c.admin_email.find('@') == std::string::npos) {
    return doc->Invalid("admin_email",
                        "expected an email address, got " + ShownValue(c.admin_email));
  }
  return c;
}

Result<ServeConfig> LoadServeConfig(const std::string& path) {
  auto text = ReadFile(path);
  EC2M_RETURN_IF_ERROR(text);
  return ParseServeConfig(*text, path);
}

}  // namespace ec2m::config
