#include "server/api_server.hpp"

#include <fmt/core.h>
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <regex>

#include "config/json_object.hpp"

namespace ec2m::server {
namespace {

constexpr const char* kJson = "application/json";

nlohmann::json ErrorJson(const Error& e) {
  return {{"code", std::string(ErrorCodeName(e.code))}, {"message", e.message}};
}

// "/api/v1/instances/{env}/{id}" → regex and parameter names.
std::pair<std::string, std::vector<std::string>> PathPattern(const std::string& path) {
  std::string regex;
  std::vector<std::string> names;
  for (size_t i = 0; i < path.size();) {
    if (path[i] == '{') {
      const size_t close = path.find('}', i);
      names.push_back(path.substr(i + 1, close - i - 1));
      regex += "([^/]+)";
      i = close + 1;
    } else {
      if (std::string_view(".+*?()[]^$|\\").find(path[i]) != std::string_view::npos) {
        regex += '\\';
      }
      regex += path[i++];
    }
  }
  return {regex, names};
}

}  // namespace

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

std::string Call::Query(const std::string& name) const {
  return req.has_param(name) ? req.get_param_value(name) : "";
}

ApiServer::ApiServer(Store& store, Identity& identity, Inventory& inventory, audit::AuditLog& audit,
                     Metrics& metrics, const Clock& clock, Random& random, ApiOptions options)
    : store_(store),
      identity_(identity),
      inventory_(inventory),
      audit_(audit),
      metrics_(metrics),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {
  AddRoutes();
}

Result<int> ApiServer::Listen(const std::string& host, int port) {
  http::ListenerOptions listener;
  listener.max_payload_bytes = static_cast<size_t>(options_.max_body_bytes);
  listener.tls_cert = options_.tls_cert;
  listener.tls_key = options_.tls_key;
  return listener_.Listen(
      host, port, listener, [this](httplib::Server& server) { Install(server); }, "the REST API");
}

void ApiServer::Stop() { listener_.Stop(); }

void ApiServer::AuditAction(const Call& call, const std::string& action, const std::string& target,
                            const Error* error, const std::string& detail) {
  const std::string actor = call.who ? call.who->user.email : "anonymous";
  auto appended = audit_.Append({actor, action, target, call.env, call.source,
                                 error ? "failure" : "success", error ? error->message : detail});
  if (!appended) {
    metrics_.StoreError();
  }
}

Result<void> ApiServer::Admit(const Route& route, Call& call) {
  if (route.access == Access::kPublic) {
    return {};
  }
  if (call.bearer.empty()) {
    metrics_.AuthFailure();
    return Fail(ErrorCode::kUnauthenticated,
                "sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
  }
  auto who = identity_.Authenticate(call.bearer, call.source);
  if (!who) {
    if (who.error().code == ErrorCode::kUnauthenticated) {
      metrics_.AuthFailure();
    }
    return Fail(who.error());
  }
  call.who = std::move(*who);
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
    return {};
  }
  if (route.access != Access::kEnvRole) {
    return {};
  }
  call.env = call.Param("env");
  if (call.env.empty()) {
    auto body =
        config::JsonObject::Parse(call.req.body.empty() ? "{}" : call.req.body, "request body");
    EC2M_RETURN_IF_ERROR(body);
    auto env = body->String("env");
    EC2M_RETURN_IF_ERROR(env);
    call.env = *env;
  }
  const EnvironmentHandle* env = inventory_.Find(call.env);
  if (env == nullptr) {
    return Fail(ErrorCode::kNotFound, "no environment named \"" + call.env + "\"");
  }
  auto held = user.RoleIn(call.env);
  if (!held || !RoleAllows(*held, route.role)) {
    return denied(fmt::format("{} needs the {} role in environment {}; {} has {}", route.summary,
                              RoleName(route.role), call.env, user.email,
                              held ? std::string(RoleName(*held)) : "no role there"));
  }
  if (env->config.mfa_required && route.role != Role::kViewer && !call.who->mfa_verified) {
    return denied("environment " + call.env +
                  " requires an MFA-verified session for changes (cognito.mfaRequired): enrol "
                  "MFA and sign in with your code");
  }
  return {};
}

void ApiServer::Serve(const Route& route, const std::vector<std::string>& names,
                      const httplib::Request& req, httplib::Response& res) {
  const auto start = std::chrono::steady_clock::now();
  Call call{req, NewUuid(random_), req.remote_addr, "", std::nullopt, "", {}};
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    call.bearer = auth.substr(7);
  }
  // Path parameters arrive percent-encoded ("alice%40example.com").
  for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) {
    call.params[names[i]] = httplib::detail::decode_url(req.matches[i + 1].str(), false);
  }
  Reply reply;
  Error error;
  bool failed = false;
  auto admitted = Admit(route, call);
  if (!admitted) {
    error = admitted.error();
    failed = true;
  } else {
    Result<Reply> handled = [&]() -> Result<Reply> {
      try {
        return route.handle(call);
      } catch (const std::exception& e) {
        return Fail(ErrorCode::kInternal, std::string("internal error: ") + e.what());
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
  res.set_header("X-Request-Id", call.request_id);
  if (!reply.text.empty()) {
    res.set_content(reply.text, reply.content_type);
  } else if (!reply.body.is_null()) {
    res.set_content(reply.body.dump(), kJson);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.ObserveRequest(route.method + " " + route.path, reply.status, seconds);
  if (options_.quiet) {
    return;
  }
  const std::string who = call.who ? call.who->user.email : "";
  if (options_.json_logs) {
    const nlohmann::json line = {{"time", FormatIso8601Millis(clock_.Now())},
                                 {"request_id", call.request_id},
                                 {"method", req.method},
                                 {"path", req.path},
                                 {"route", route.path},
                                 {"status", reply.status},
                                 {"ms", seconds * 1000},
                                 {"user", who},
                                 {"source", call.source}};
    std::fprintf(stderr, "%s\n", line.dump().c_str());
  } else {
    std::fprintf(stderr, "%s %s %s %d %.1fms %s %s\n", FormatIso8601Millis(clock_.Now()).c_str(),
                 req.method.c_str(), req.path.c_str(), reply.status, seconds * 1000, who.c_str(),
                 call.request_id.c_str());
  }
}

void ApiServer::Install(httplib::Server& server) {
  for (const Route& route : routes_) {
    auto [regex, names] = PathPattern(route.path);
    auto serve = [this, &route, names = names](const httplib::Request& req,
                                               httplib::Response& res) {
      Serve(route, names, req, res);
    };
    if (route.method == "GET") {
      server.Get(regex, serve);
    } else if (route.method == "POST") {
      server.Post(regex, serve);
    } else if (route.method == "PUT") {
      server.Put(regex, serve);
    } else if (route.method == "PATCH") {
      server.Patch(regex, serve);
    } else if (route.method == "DELETE") {
      server.Delete(regex, serve);
    }
  }
  if (!options_.console_dir.empty()) {
    server.set_mount_point("/", options_.console_dir);
  }
  // httplib's own refusals (no route, body too large) get the one error body too.
  server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) {
      return;
    }
    const std::string id = NewUuid(random_);
    const ErrorCode code = res.status == 404 ? ErrorCode::kNotFound : ErrorCode::kInvalidArgument;
    const std::string message =
        res.status == 404 ? "no route " + req.method + " " + req.path
        : res.status == 413
            ? fmt::format("request body: larger than {} bytes", options_.max_body_bytes)
            : fmt::format("the request was refused (HTTP {})", res.status);
    nlohmann::json e = ErrorJson(Error{code, message, "", ""});
    e["request_id"] = id;
    res.set_header("X-Request-Id", id);
    res.set_content(nlohmann::json{{"error", e}}.dump(), kJson);
  });
}

}  // namespace ec2m::server
