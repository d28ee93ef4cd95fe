#include "server/api_server.hpp"

#include "monitor/monitor.hpp"
#include "release/policy.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/digest.hpp"
#include "core/files.hpp"

#include "config/json_object.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/utf8.hpp"

namespace ec2m::server {
namespace {

constexpr const char* kJson = "application/json";

// The longest error message an answer carries: messages name the problem, not the input, and
// this is the backstop for one that would still carry too much.
constexpr size_t kMaxMessageBytes = 1024;

nlohmann::json ErrorJson(const Error& e) {
  return {{"code", std::string(ErrorCodeName(e.code))},
          {"message", SanitizeUtf8(TruncateUtf8(e.message, kMaxMessageBytes))}};
}

}  // namespace

std::multimap<std::string, std::string> SecurityHeaders(bool tls) {
  std::multimap<std::string, std::string> headers = {
      // The console loads its own script and styles only: no inline script, no other origin.
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
  };
  if (tls) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000");
  }
  return headers;
}

std::vector<std::string_view> PathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Error InBody(Error e) {
  if (e.code == ErrorCode::kInvalidArgument && !e.message.starts_with("request body")) {
    e.message = "request body: $." + e.message;
  }
  return e;
}

Result<config::JsonObject> RequestBody(const Call& call) {
  return config::JsonObject::Parse(call.req.body.empty() ? "{}" : call.req.body, "request body");
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kThrottled:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kTimeout:
      return 504;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string Call::Param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string Call::Query(const std::string& name) const { return req.Query(name).value_or(""); }

ApiServer::ApiServer(Store& store, Identity& identity, Inventory& inventory, audit::AuditLog& audit,
                     Metrics& metrics, const Clock& clock, Random& random, ApiOptions options,
                     Services services)
    : store_(store),
      identity_(identity),
      inventory_(inventory),
      audit_(audit),
      metrics_(metrics),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      services_(std::move(services)),
      // A UUID per process and a counter: unique across replicas and restarts without drawing
      // from the CSPRNG on every request.
      request_id_prefix_(NewUuid(random_)),
      readiness_(store_, inventory_, metrics_, clock_, options_.ready_check_every),
      rate_limiter_(clock_, options_.rate),
      metrics_token_hash_(Sha256Hex(options_.metrics_token)) {
  AddRoutes();
  AddStackRoutes();
  AddMonitorRoutes();
  AddIncidentRoutes();
  AddNotifyRoutes();
  AddDashboardRoutes();
  AddReleaseRoutes();
}

Result<int> ApiServer::Listen(const std::string& host, int port) {
  readiness_.Start();
  LoadConsole();
  const auto security = SecurityHeaders(!options_.tls_cert.empty());
  security_headers_.assign(security.begin(), security.end());
  http::ServerOptions o = options_.http;
  o.max_body_bytes = static_cast<uint64_t>(options_.max_body_bytes);
  o.tls_cert = options_.tls_cert;
  o.tls_key = options_.tls_key;
  o.quick = [this](const http::Request& req, http::Response& res) { return Quick(req, res); };
  o.refusal = [this](int status, std::string_view message, http::Response& res) {
    const ErrorCode code = status == 408   ? ErrorCode::kTimeout
                           : status == 500 ? ErrorCode::kInternal
                           : status == 503 ? ErrorCode::kUnavailable
                                           : ErrorCode::kInvalidArgument;
    std::string text(message);
    if (status == 413) {
      text = fmt::format("request body: larger than {} bytes", options_.max_body_bytes);
    }
    ReplyError(Error{code, text, "", ""}, status, res);
  };
  return http_.Listen(
      host, port, std::move(o),
      [this](const http::Request& req, http::Response& res) { Dispatch(req, res); },
      "the REST API");
}

void ApiServer::Stop() {
  http_.Stop();
  readiness_.Stop();
}

void ApiServer::AuditAction(const Call& call, const std::string& action, const std::string& target,
                            const Error* error, const std::string& detail) {
  const std::string actor = call.who ? call.who->user.email : "anonymous";
  auto appended = audit_.Append({actor, action, target, call.env, call.source,
                                 error ? "failure" : "success", error ? error->message : detail});
  if (!appended) {
    metrics_.StoreError();
  }
}

Result<void> ApiServer::AuditRequest(const Route& route, const Call& call) {
  auto appended = audit_.Append({call.who ? call.who->user.email : "anonymous", route.label,
                                 call.req.path, call.env, call.source, "requested", ""});
  if (!appended) {
    metrics_.StoreError();
    return Fail(ErrorCode::kUnavailable,
                "the audit log cannot be written, so the change is refused; try again");
  }
  return {};
}

Result<void> ApiServer::Identify(const Route& route, Call& call) {
  if (route.access == Access::kPublic) {
    return {};
  }
  if (call.bearer.empty()) {
    metrics_.AuthFailure();
    return Fail(ErrorCode::kUnauthenticated,
                "sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
  }
  auto who = call.who != nullptr ? Result<std::shared_ptr<const Principal>>(call.who)
                                 : identity_.Authenticate(call.bearer, call.source);
  if (!who) {
    if (who.error().code == ErrorCode::kUnauthenticated) {
      metrics_.AuthFailure();
    }
    return Fail(who.error());
  }
  call.who = std::move(*who);
  return {};
}

Result<void> ApiServer::TakeRate(const Call& call) {
  // A signed-in user is limited as themself wherever they call from, the metrics scraper (its
  // token) as itself, anyone else (a bad token among them) as their address.
  const bool user = call.who != nullptr;
  const bool scraper = !user && !options_.metrics_token.empty() && !call.bearer.empty() &&
                       ConstantTimeEquals(Sha256Hex(call.bearer), metrics_token_hash_);
  auto allowed = user ? rate_limiter_.Take("user:" + call.who->user.email, call.who->user.email)
                 : scraper ? rate_limiter_.Take("metrics", "the metrics scraper")
                           : rate_limiter_.Take("address:" + call.source, "address " + call.source);
  if (!allowed) {
    metrics_.RateLimited(user);
  }
  return allowed;
}

Result<void> ApiServer::Authorize(const Route& route, Call& call) {
  if (route.access == Access::kPublic) {
    return {};
  }
  const User& user = call.who->user;
  auto denied = [&](std::string message) -> Result<void> {
    if (route.method != "GET") {
      if (!audit_.Append({user.email, "access.denied", route.method + " " + call.req.path, call.env,
                          call.source, "denied", message})) {
        metrics_.StoreError();
      }
    }
    return Fail(ErrorCode::kPermissionDenied, std::move(message));
  };
  if (route.access == Access::kAdmin) {
    if (!user.admin()) {
      return denied("only a global admin may " + route.summary);
    }
    // Users, channels, the audit log and faults reach every environment: when any of them
    // requires MFA, so do these routes.
    if (!call.who->mfa_verified && AnyEnvironmentRequiresMfa()) {
      return denied(
          "an environment requires MFA (cognito.mfaRequired), so global-admin actions "
          "need an MFA-verified session: enrol MFA and sign in with your code");
    }
    return {};
  }
  if (route.access != Access::kEnvRole) {
    return {};
  }
  // The environment is taken only once it is known to exist: a made-up name is a 404 before
  // anything is recorded under it (metrics, audit).
  std::string name = call.Param("env");
  if (name.empty() && route.env_from) {
    auto env = route.env_from(call);
    EC2M_RETURN_IF_ERROR(env);
    name = *env;
  } else if (name.empty()) {
    auto body = RequestBody(call);
    EC2M_RETURN_IF_ERROR(body);
    auto env = body->String("env");
    EC2M_RETURN_IF_ERROR(env);
    name = *env;
  }
  const EnvironmentHandle* env = inventory_.Find(name);
  const bool control_plane = route.control_plane_scope && name == monitor::kControlPlane;
  if (env == nullptr && !control_plane) {
    return Fail(ErrorCode::kNotFound, "no environment named " + ShownValue(name));
  }
  call.env = name;
  auto held = user.RoleIn(call.env);
  if (!held || !RoleAllows(*held, route.role)) {
    return denied(fmt::format("{} needs the {} role in environment {}; {} has {}", route.summary,
                              RoleName(route.role), call.env, user.email,
                              held ? std::string(RoleName(*held)) : "no role there"));
  }
  if (env != nullptr && route.role != Role::kViewer && !call.who->mfa_verified &&
      MfaRequired(*env)) {
    return denied("environment " + call.env +
                  " requires an MFA-verified session for changes (cognito.mfaRequired): enrol "
                  "MFA and sign in with your code");
  }
  return {};
}

void ApiServer::Serve(const Route& route, std::map<std::string, std::string> params,
                      const http::Request& req, http::Response& res,
                      std::shared_ptr<const Principal> who) {
  const auto start = std::chrono::steady_clock::now();
  Call call{req, NextRequestId(), req.remote_addr, "", std::move(who), "", std::move(params)};
  const std::string_view auth = req.Header("Authorization");
  if (auth.starts_with("Bearer ")) {
    call.bearer = std::string(auth.substr(7));
  }
  Reply reply;
  Error error;
  bool failed = false;
  // Who calls, then their rate (a refused request is the rate's, whatever else was wrong), then
  // what they may do: a throttled flood of forbidden changes writes no audit entry each.
  auto admitted = Identify(route, call);
  if (route.rate_limited) {
    if (auto allowed = TakeRate(call); !allowed) {
      admitted = std::move(allowed);
    }
  }
  if (admitted) {
    admitted = Authorize(route, call);
  }
  if (admitted && route.audit_request) {
    admitted = AuditRequest(route, call);
  }
  if (!admitted) {
    error = admitted.error();
    failed = true;
  } else {
    Result<Reply> handled = [&]() -> Result<Reply> {
      try {
        return route.handle(call);
      } catch (const std::exception& e) {
        // What a library threw may quote the request: it goes to the log, not to the client.
        std::fprintf(stderr, "ec2m: request %s: %s: %s\n", call.request_id.c_str(),
                     route.label.c_str(),
                     LogSafe(TruncateUtf8(e.what(), kMaxMessageBytes)).c_str());
        return Fail(ErrorCode::kInternal,
                    "internal error: the server's log has it under this request id");
      }
    }();
    if (handled) {
      reply = std::move(*handled);
    } else {
      error = handled.error();
      failed = true;
    }
  }
  if (failed) {
    reply.status = HttpStatus(error.code);
    nlohmann::json e = ErrorJson(error);
    e["request_id"] = call.request_id;
    reply.body = {{"error", std::move(e)}};
  }
  res.status = reply.status;
  res.headers.emplace_back("X-Request-Id", call.request_id);
  if (reply.status == 429 || reply.status == 503) {
    res.headers.emplace_back(
        "Retry-After",
        std::to_string(failed && error.retry_after_seconds > 0 ? error.retry_after_seconds : 1));
  }
  if (reply.text) {
    res.shared_body = std::move(reply.text);
    res.headers.emplace_back("Content-Type", reply.content_type);
  } else if (!reply.body.is_null()) {
    res.body = DumpJson(reply.body);
    res.headers.emplace_back("Content-Type", kJson);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.ObserveRequest(route.label, reply.status, seconds);
  if (services_.monitor != nullptr) {
    services_.monitor->RecordRequest(call.env, route.label, call.who ? call.who->user.email : "",
                                     reply.status, seconds);
  }
  if (options_.quiet) {
    return;
  }
  const std::string user = call.who ? call.who->user.email : "";
  if (options_.json_logs) {
    const nlohmann::json line = {{"time", FormatIso8601Millis(clock_.Now())},
                                 {"request_id", call.request_id},
                                 {"method", req.method},
                                 {"path", req.path},
                                 {"route", route.path},
                                 {"status", reply.status},
                                 {"ms", seconds * 1000},
                                 {"user", user},
                                 {"source", call.source}};
    std::fprintf(stderr, "%s\n", DumpJson(line).c_str());
  } else {
    std::fprintf(stderr, "%s %s %s %d %.1fms %s %s\n", FormatIso8601Millis(clock_.Now()).c_str(),
                 req.method.c_str(), LogSafe(req.path).c_str(), reply.status, seconds * 1000,
                 user.c_str(), call.request_id.c_str());
  }
}

bool ApiServer::MfaRequired(const EnvironmentHandle& env) {
  if (env.config.mfa_required || services_.provisioner == nullptr) {
    return env.config.mfa_required;
  }
  // The file may lower cognito.mfaRequired before that change was approved: the config in force
  // (its last applied one) still decides. Read at most once per kInForceCacheMs per environment.
  const int64_t now = ToUnixMillis(clock_.Now());
  {
    std::lock_guard lock(in_force_mu_);
    auto it = mfa_in_force_.find(env.config.name);
    if (it != mfa_in_force_.end() && it->second.second > now) {
      return it->second.first;
    }
  }
  auto in_force = release::ConfigInForce(*services_.provisioner, env.config.name);
  // An unreadable config in force errs on the strict side.
  const bool required = !in_force || in_force->policy.mfa_required;
  std::lock_guard lock(in_force_mu_);
  mfa_in_force_[env.config.name] = {required, now + kInForceCacheMs};
  return required;
}

bool ApiServer::AnyEnvironmentRequiresMfa() {
  const auto& envs = inventory_.environments();
  return std::any_of(envs.begin(), envs.end(),
                     [this](const EnvironmentHandle& e) { return MfaRequired(e); });
}

std::string ApiServer::NextRequestId() {
  return fmt::format("{}-{:08x}", request_id_prefix_,
                     next_request_.fetch_add(1, std::memory_order_relaxed));
}

void ApiServer::ReplyError(const Error& error, int status, http::Response& res) {
  const std::string id = NextRequestId();
  nlohmann::json e = ErrorJson(error);
  e["request_id"] = id;
  res.status = status;
  res.headers.insert(res.headers.end(), security_headers_.begin(), security_headers_.end());
  res.headers.emplace_back("X-Request-Id", id);
  res.headers.emplace_back("Content-Type", kJson);
  if (status == 429 || status == 503) {
    res.Set("Retry-After", "1");
  }
  res.body = nlohmann::json{{"error", std::move(e)}}.dump();
}

void ApiServer::LoadConsole() {
  console_.clear();
  if (options_.console_dir.empty()) {
    return;
  }
  namespace fs = std::filesystem;
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"}};
  const fs::path root(options_.console_dir);
  auto add = [&](const fs::path& file, const std::string& url) {
    auto type = kTypes.find(file.extension().string());
    auto text = ReadFile(file.string());
    if (type != kTypes.end() && text) {
      console_[url] =
          ConsoleFile{std::make_shared<const std::string>(std::move(*text)), type->second};
    }
  };
  add(root / "index.html", "/index.html");
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root / "assets", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      add(it->path(), "/assets/" + fs::relative(it->path(), root / "assets", ec).generic_string());
    }
  }
}

ApiServer::Resolved ApiServer::Resolve(const http::Request& req) const {
  Resolved out;
  // Split the path as sent, then decode each segment once: an encoded '/' ("%2F") stays inside
  // its segment, and "%2541" stays "%41".
  const std::string_view raw = std::string_view(req.target).substr(0, req.target.find('?'));
  std::vector<std::string> path;
  for (std::string_view segment : PathSegments(raw)) {
    auto decoded = http::PercentDecode(segment, false);
    if (!decoded) {
      out.bad_escape = true;
      return out;
    }
    path.push_back(std::move(*decoded));
  }
  // The route whose literal segments all match, preferring more literal segments
  // ("/instances/refresh" over "/instances/{env}").
  int best_literals = -1;
  if (path.size() >= routes_by_length_.size()) {
    return out;
  }
  for (const size_t index : routes_by_length_[path.size()]) {
    const Route& route = routes_[index];
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < path.size() && match; ++i) {
      const std::string& want = route.segments[i];
      if (want.front() == '{') {
        match = !path[i].empty();
      } else {
        match = want == path[i];
        ++literals;
      }
    }
    if (match && route.method != req.method) {
      if (out.allowed.find(route.method) == std::string::npos) {
        out.allowed += (out.allowed.empty() ? "" : ", ") + route.method;
      }
    } else if (match && literals > best_literals) {
      out.route = &route;
      best_literals = literals;
    }
  }
  if (out.route != nullptr) {
    for (size_t i = 0; i < path.size(); ++i) {
      const std::string& want = out.route->segments[i];
      if (want.front() == '{') {
        out.params[want.substr(1, want.size() - 2)] = std::move(path[i]);
      }
    }
  }
  return out;
}

void ApiServer::ServeUnrouted(const Resolved& resolved, const http::Request& req,
                              http::Response& res) {
  if (resolved.bad_escape) {
    ReplyError(Error{ErrorCode::kInvalidArgument, "path: an invalid percent-escape", "", ""}, 400,
               res);
    return;
  }
  const bool read = req.method == "GET" || req.method == "HEAD";
  const auto file = console_.find(req.path == "/" ? "/index.html" : req.path);
  if (read && file != console_.end()) {
    res.headers.assign(security_headers_.begin(), security_headers_.end());
    res.headers.emplace_back("Content-Type", file->second.content_type);
    // Bundle names carry their content's hash; index.html names them, so it is never cached.
    res.headers.emplace_back("Cache-Control", file->first == "/index.html"
                                                  ? "no-cache"
                                                  : "public, max-age=31536000, immutable");
    res.shared_body = file->second.content;
    return;
  }
  if (!resolved.allowed.empty()) {
    ReplyError(Error{ErrorCode::kInvalidArgument,
                     "method " + ShownValue(req.method) + " is not allowed here (" +
                         resolved.allowed + ")",
                     "", ""},
               405, res);
    res.headers.emplace_back("Allow", resolved.allowed);
    return;
  }
  ReplyError(Error{ErrorCode::kNotFound,
                   "no route for " + ShownValue(req.method) + " " + ShownValue(req.path), "", ""},
             404, res);
}

void ApiServer::Dispatch(const http::Request& req, http::Response& res) {
  Resolved resolved = Resolve(req);
  if (resolved.route == nullptr) {
    ServeUnrouted(resolved, req, res);
    return;
  }
  res.headers.assign(security_headers_.begin(), security_headers_.end());
  Serve(*resolved.route, std::move(resolved.params), req, res);
}

bool ApiServer::Quick(const http::Request& req, http::Response& res) {
  // Only reads are quick: a change goes to the pool without being routed twice.
  if (req.method != "GET" && req.method != "HEAD") {
    return false;
  }
  Resolved resolved = Resolve(req);
  if (resolved.route == nullptr) {
    ServeUnrouted(resolved, req, res);
    return true;
  }
  const Route& route = *resolved.route;
  if (!route.quick) {
    return false;
  }
  std::shared_ptr<const Principal> who;
  if (route.access != Access::kPublic) {
    const std::string_view auth = req.Header("Authorization");
    who = auth.starts_with("Bearer ") ? identity_.CachedPrincipal(std::string(auth.substr(7)))
                                      : nullptr;
    if (who == nullptr) {
      return false;  // signing the caller in may read the store: the pool's work
    }
  }
  res.headers.assign(security_headers_.begin(), security_headers_.end());
  Serve(route, std::move(resolved.params), req, res, std::move(who));
  return true;
}

}  // namespace ec2m::server
