// The REST API's routes (docs/api.md): each with its access rule and its handler.

#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "config/json_object.hpp"
#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/version.hpp"
#include "server/api_server.hpp"
#include "server/tag_rules.hpp"

#include "monitor/monitor.hpp"

namespace ec2m::server {

Result<int> QueryInt(const Call& call, const std::string& name, int fallback, int min, int max) {
  const std::string text = call.Query(name);
  if (text.empty()) {
    return fallback;
  }
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < min || n > max) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("{}: expected an integer {}..{}, got {}",
                                                         name, min, max, ShownValue(text)));
  }
  return n;
}

bool HoldsRole(const User& user, const std::string& env, Role needed) {
  const std::optional<Role> held = user.RoleIn(env);
  return held && RoleAllows(*held, needed);
}

Result<std::string> EnvFromQuery(const Call& call) {
  std::string env = call.Query("env");
  if (env.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "env: expected the environment (?env=dev), or ec2m for the control plane's own");
  }
  return env;
}

namespace {

Reply Ok(nlohmann::json body) { return Reply{200, std::move(body)}; }
Reply Created(nlohmann::json body) { return Reply{201, std::move(body)}; }
Reply NoContent() { return Reply{204, nullptr}; }

Result<std::map<std::string, Role>> RolesFrom(const std::map<std::string, std::string>& in) {
  std::map<std::string, Role> out;
  for (const auto& [env, name] : in) {
    auto role = ParseRole(name);
    if (!role) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("request body: $.roles.{}: expected viewer, operator, deployer, "
                              "approver or admin, got {}",
                              env, ShownValue(name)));
    }
    out[env] = *role;
  }
  return out;
}

nlohmann::json ResultJson(const ActionResult& r) {
  nlohmann::json j = {{"id", r.id}, {"ok", r.ok}};
  if (r.ok) {
    j["previous_state"] = r.previous_state;
    j["state"] = r.state;
  } else {
    j["error"] = {{"code", std::string(ErrorCodeName(r.error.code))}, {"message", r.error.message}};
  }
  return j;
}

}  // namespace

Result<std::vector<std::string>> ApiServer::RefreshTargets(const User& user,
                                                           const std::string& env) const {
  if (!env.empty()) {
    if (inventory_.Find(env) == nullptr) {
      return Fail(ErrorCode::kNotFound, "no environment named " + ShownValue(env));
    }
    if (!user.RoleIn(env)) {
      return Fail(ErrorCode::kPermissionDenied,
                  fmt::format("refresh the inventory of {} needs a role in it; {} has none there",
                              env, user.email));
    }
    return std::vector<std::string>{env};
  }
  if (user.roles.count(kAllEnvironments) != 0) {
    return std::vector<std::string>{""};  // every environment
  }
  std::vector<std::string> out;
  for (const auto& handle : inventory_.environments()) {
    if (user.RoleIn(handle.config.name)) {
      out.push_back(handle.config.name);
    }
  }
  if (out.empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                user.email + " holds a role in no environment: nothing to refresh");
  }
  return out;
}

void ApiServer::AddRoute(std::string method, std::string path, Access access, Role role,
                         std::string summary, std::function<Result<Reply>(Call&)> handle) {
  Route route{std::move(method),  std::move(path),   access, role,
              std::move(summary), std::move(handle), {}};
  for (std::string_view segment : PathSegments(route.path)) {
    route.segments.emplace_back(segment);
  }
  route.label = route.method + " " + route.path;
  // Identity's routes commit their own audit entries; a plan, a refresh and published metrics
  // change nothing anyone audits.
  static constexpr std::string_view kSelfAudited[] = {"/api/v1/auth/", "/api/v1/me",
                                                      "/api/v1/tokens", "/api/v1/users"};
  const bool self_audited =
      std::any_of(std::begin(kSelfAudited), std::end(kSelfAudited),
                  [&](std::string_view p) { return route.path.starts_with(p); });
  route.audit_request = route.method != "GET" && route.access != Access::kPublic && !self_audited &&
                        !route.path.ends_with("/plan") &&
                        route.path != "/api/v1/instances/refresh" &&
                        route.path != "/api/v1/metrics";
  route.rate_limited = !route.path.starts_with("/health/");
  route.quick = route.label == "GET /health/live" || route.label == "GET /health/ready" ||
                route.label == "GET /api/v1/instances";
  if (routes_by_length_.size() <= route.segments.size()) {
    routes_by_length_.resize(route.segments.size() + 1);
  }
  routes_by_length_[route.segments.size()].push_back(routes_.size());
  routes_.push_back(std::move(route));
}

namespace {

// The HTTP layer's counters in the Prometheus text format: what the limits and deadlines refused.
std::string RenderHttpStats(const http::ServerStats& s) {
  std::string out;
  out += "# HELP ec2m_http_connections_open Connections open to the REST API.\n";
  out += "# TYPE ec2m_http_connections_open gauge\n";
  out += fmt::format("ec2m_http_connections_open {}\n", s.connections_open);
  out += "# HELP ec2m_http_refused_total Requests the HTTP layer refused or cut, by reason.\n";
  out += "# TYPE ec2m_http_refused_total counter\n";
  for (const auto& [reason, count] :
       {std::pair{"header_timeout", s.header_timeout}, std::pair{"body_timeout", s.body_timeout},
        std::pair{"too_large", s.too_large}, std::pair{"header_too_large", s.header_too_large},
        std::pair{"queue_full", s.queue_full}, std::pair{"bad_request", s.bad_request},
        std::pair{"aborted", s.aborted}}) {
    out += fmt::format("ec2m_http_refused_total{{reason=\"{}\"}} {}\n", reason, count);
  }
  out += "# HELP ec2m_http_requests_quick_total Requests answered on an event loop, no worker.\n";
  out += "# TYPE ec2m_http_requests_quick_total counter\n";
  out += fmt::format("ec2m_http_requests_quick_total {}\n", s.quick);
  return out;
}

}  // namespace

void ApiServer::AddRoutes() {
  auto add = [this](std::string method, std::string path, Access access, Role role,
                    std::string summary, std::function<Result<Reply>(Call&)> handle) {
    AddRoute(std::move(method), std::move(path), access, role, std::move(summary),
             std::move(handle));
  };
  const Access kPublic = Access::kPublic;
  const Access kSignedIn = Access::kSignedIn;
  const Access kEnvRole = Access::kEnvRole;
  const Access kAdmin = Access::kAdmin;
  const Role kViewer = Role::kViewer;

  // --- Health, metrics, the API document
  add("GET", "/health/live", kPublic, kViewer, "check that the server runs",
      [](Call&) -> Result<Reply> {
        return Ok({{"status", "ok"}});
      });
  add("GET", "/health/ready", kPublic, kViewer, "check the store and every environment's cloud",
      [this](Call&) -> Result<Reply> {
        const ReadySnapshot snapshot = readiness_.Get();
        return Reply{snapshot.ready ? 200 : 503,
                     {{"status", snapshot.ready ? "ready" : "not ready"},
                      {"checks", snapshot.checks},
                      {"checked_at", snapshot.checked_at}}};
      });
  add("GET", "/api/v1/openapi.json", kPublic, kViewer, "describe this API",
      [this](Call&) -> Result<Reply> { return Ok(OpenApi()); });

  // --- Sign-in and the signed-in user
  add("POST", "/api/v1/auth/login", kPublic, kViewer, "sign in",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto email = body->String("email");
        EC2M_RETURN_IF_ERROR(email);
        auto password = body->String("password");
        EC2M_RETURN_IF_ERROR(password);
        auto otp = body->StringOr("otp", "");
        EC2M_RETURN_IF_ERROR(otp);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto login = identity_.Login(*email, *password, *otp, call.source);
        if (!login) {
          metrics_.AuthFailure();
          return Fail(login.error());
        }
        return Ok({{"token", login->token},
                   {"expires_at", login->expires_at},
                   {"user", UserToJson(login->user)}});
      });
  add("POST", "/api/v1/auth/signup", kPublic, kViewer, "sign up where self sign-up is enabled",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto email = body->String("email");
        EC2M_RETURN_IF_ERROR(email);
        auto password = body->String("password");
        EC2M_RETURN_IF_ERROR(password);
        EC2M_RETURN_IF_ERROR(body->Finish());
        std::vector<std::string> open;
        for (const auto& env : inventory_.environments()) {
          if (env.config.self_signup_enabled) {
            open.push_back(env.config.name);
          }
        }
        auto user = identity_.SignUp(*email, *password, open, call.source);
        EC2M_RETURN_IF_ERROR(user);
        return Created({{"user", UserToJson(*user)}});
      });
  add("POST", "/api/v1/auth/logout", kSignedIn, kViewer, "sign out",
      [this](Call& call) -> Result<Reply> {
        EC2M_RETURN_IF_ERROR(identity_.Logout(call.bearer, *call.who, call.source));
        return NoContent();
      });
  add("GET", "/api/v1/version", kSignedIn, kViewer, "show the server's version and build commit",
      [](Call&) -> Result<Reply> {
        return Ok(
            {{"version", std::string(BuildVersion())}, {"commit", std::string(BuildCommit())}});
      });
  add("GET", "/api/v1/me", kSignedIn, kViewer, "show the signed-in user",
      [](Call& call) -> Result<Reply> {
        nlohmann::json j = UserToJson(call.who->user);
        j["mfa_verified"] = call.who->mfa_verified;
        j["api_token"] = call.who->api_token;
        return Ok(j);
      });
  add("POST", "/api/v1/me/password", kSignedIn, kViewer, "change the password",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto current = body->String("current");
        EC2M_RETURN_IF_ERROR(current);
        auto next = body->String("new");
        EC2M_RETURN_IF_ERROR(next);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto session = identity_.ChangePassword(*call.who, *current, *next, call.source);
        EC2M_RETURN_IF_ERROR(session);
        // Every other session and token of the user ended; this one goes on as a new session.
        return Ok({{"token", session->token}, {"expires_at", session->expires_at}});
      });
  // MFA changes: the current password, and the current code when MFA is on (docs/security.md).
  auto reauth = [](Call& call) -> Result<std::pair<std::string, std::string>> {
    auto body = RequestBody(call);
    EC2M_RETURN_IF_ERROR(body);
    auto password = body->String("password");
    EC2M_RETURN_IF_ERROR(password);
    auto otp = body->StringOr("otp", "");
    EC2M_RETURN_IF_ERROR(otp);
    EC2M_RETURN_IF_ERROR(body->Finish());
    return std::pair(std::move(*password), std::move(*otp));
  };
  add("POST", "/api/v1/me/mfa/enroll", kSignedIn, kViewer, "start MFA enrolment",
      [this, reauth](Call& call) -> Result<Reply> {
        auto proof = reauth(call);
        EC2M_RETURN_IF_ERROR(proof);
        auto e = identity_.BeginMfa(*call.who, proof->first, proof->second, call.source);
        EC2M_RETURN_IF_ERROR(e);
        return Ok({{"secret", e->secret}, {"otpauth_uri", e->otpauth_uri}});
      });
  add("POST", "/api/v1/me/mfa/verify", kSignedIn, kViewer, "confirm MFA enrolment",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto otp = body->String("otp");
        EC2M_RETURN_IF_ERROR(otp);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto codes = identity_.ConfirmMfa(*call.who, call.bearer, *otp, call.source);
        EC2M_RETURN_IF_ERROR(codes);
        return Ok({{"recovery_codes", *codes}});
      });
  add("DELETE", "/api/v1/me/mfa", kSignedIn, kViewer, "turn MFA off",
      [this, reauth](Call& call) -> Result<Reply> {
        auto proof = reauth(call);
        EC2M_RETURN_IF_ERROR(proof);
        EC2M_RETURN_IF_ERROR(
            identity_.DisableMfa(*call.who, proof->first, proof->second, call.source));
        return NoContent();
      });
  add("POST", "/api/v1/me/mfa/recovery-codes", kSignedIn, kViewer, "make new recovery codes",
      [this, reauth](Call& call) -> Result<Reply> {
        auto proof = reauth(call);
        EC2M_RETURN_IF_ERROR(proof);
        auto codes =
            identity_.RegenerateRecoveryCodes(*call.who, proof->first, proof->second, call.source);
        EC2M_RETURN_IF_ERROR(codes);
        return Ok({{"recovery_codes", *codes}});
      });
  add("GET", "/api/v1/tokens", kSignedIn, kViewer, "list the user's API tokens",
      [this](Call& call) -> Result<Reply> {
        auto tokens = identity_.ListTokens(*call.who);
        EC2M_RETURN_IF_ERROR(tokens);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& t : *tokens) {
          items.push_back(TokenToJson(t));
        }
        return Ok({{"items", items}, {"next_cursor", nullptr}});
      });
  add("POST", "/api/v1/tokens", kSignedIn, kViewer, "create an API token",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto name = body->String("name");
        EC2M_RETURN_IF_ERROR(name);
        auto days = body->OptInt("expires_in_days", 1, 366);
        EC2M_RETURN_IF_ERROR(days);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto token = identity_.CreateToken(*call.who, *name, days->value_or(90), call.source);
        EC2M_RETURN_IF_ERROR(token);
        return Created(TokenToJson(*token));
      });
  add("DELETE", "/api/v1/tokens/{id}", kSignedIn, kViewer, "revoke an API token",
      [this](Call& call) -> Result<Reply> {
        EC2M_RETURN_IF_ERROR(identity_.RevokeToken(*call.who, call.Param("id"), call.source));
        return NoContent();
      });

  // --- Users (global admins)
  add("GET", "/api/v1/users", kAdmin, kViewer, "list users", [this](Call&) -> Result<Reply> {
    auto users = identity_.ListUsers();
    EC2M_RETURN_IF_ERROR(users);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& u : *users) {
      nlohmann::json item = UserToJson(u);
      auto signins = identity_.Signins(u.email);
      EC2M_RETURN_IF_ERROR(signins);
      item["failed_sign_ins"] = signins->failed_sign_ins;
      item["throttled_until"] = signins->throttled_until.empty()
                                    ? nlohmann::json(nullptr)
                                    : nlohmann::json(signins->throttled_until);
      items.push_back(std::move(item));
    }
    return Ok({{"items", items}, {"next_cursor", nullptr}});
  });
  add("POST", "/api/v1/users", kAdmin, kViewer, "create users",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto email = body->String("email");
        EC2M_RETURN_IF_ERROR(email);
        auto password = body->StringOr("password", "");
        EC2M_RETURN_IF_ERROR(password);
        auto roles_in = body->OptStringMap("roles");
        EC2M_RETURN_IF_ERROR(roles_in);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto roles = RolesFrom(roles_in->value_or(std::map<std::string, std::string>{}));
        EC2M_RETURN_IF_ERROR(roles);
        std::string generated;
        auto user =
            identity_.CreateUser(*email, *password, *roles, *call.who, call.source, &generated);
        EC2M_RETURN_IF_ERROR(user);
        nlohmann::json out = {{"user", UserToJson(*user)}};
        if (!generated.empty()) {
          out["password"] = generated;
        }
        return Created(out);
      });
  add("PATCH", "/api/v1/users/{email}", kAdmin, kViewer, "change users",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto roles_in = body->OptStringMap("roles");
        EC2M_RETURN_IF_ERROR(roles_in);
        auto disabled = body->OptBool("disabled");
        EC2M_RETURN_IF_ERROR(disabled);
        EC2M_RETURN_IF_ERROR(body->Finish());
        std::optional<std::map<std::string, Role>> roles;
        if (*roles_in) {
          auto parsed = RolesFrom(**roles_in);
          EC2M_RETURN_IF_ERROR(parsed);
          roles = *parsed;
        }
        auto user =
            identity_.UpdateUser(call.Param("email"), roles, *disabled, *call.who, call.source);
        EC2M_RETURN_IF_ERROR(user);
        return Ok(UserToJson(*user));
      });
  add("POST", "/api/v1/users/{email}/mfa/reset", kAdmin, kViewer,
      "reset the MFA of a user who lost their device", [this](Call& call) -> Result<Reply> {
        auto user = identity_.ResetMfa(call.Param("email"), *call.who, call.source);
        EC2M_RETURN_IF_ERROR(user);
        return Ok(UserToJson(*user));
      });
  add("DELETE", "/api/v1/users/{email}", kAdmin, kViewer, "delete users",
      [this](Call& call) -> Result<Reply> {
        EC2M_RETURN_IF_ERROR(identity_.DeleteUser(call.Param("email"), *call.who, call.source));
        return NoContent();
      });

  // --- Environments and instances
  add("GET", "/api/v1/environments", kSignedIn, kViewer, "list environments",
      [this](Call& call) -> Result<Reply> {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& env : inventory_.environments()) {
          if (!call.who->user.RoleIn(env.config.name)) {
            continue;
          }
          const auto& c = env.config;
          items.push_back({{"name", c.name},
                           {"region", c.region},
                           {"provider", c.cloud.provider},
                           {"mfa_required", c.mfa_required},
                           {"self_signup", c.self_signup_enabled},
                           {"role", std::string(RoleName(*call.who->user.RoleIn(c.name)))},
                           {"instances", inventory_.CountByState(c.name)}});
        }
        return Ok({{"items", items}, {"next_cursor", nullptr}});
      });
  add("GET", "/api/v1/instances", kSignedIn, kViewer, "list instances",
      [this](Call& call) -> Result<Reply> {
        InstanceFilter f;
        f.env = call.Query("env");
        f.state = call.Query("state");
        f.type = call.Query("type");
        f.zone = call.Query("zone");
        f.text = call.Query("q");
        f.cursor = call.Query("cursor");
        if (std::string sort = call.Query("sort"); !sort.empty()) {
          f.sort = sort;
        }
        if (std::string tag = call.Query("tag"); !tag.empty()) {
          const size_t eq = tag.find('=');
          f.tag_key = tag.substr(0, eq);
          f.tag_value = eq == std::string::npos ? "" : tag.substr(eq + 1);
        }
        auto limit = QueryInt(call, "limit", 100, 1, 1000);
        EC2M_RETURN_IF_ERROR(limit);
        f.limit = *limit;
        const User& user = call.who->user;
        if (!f.env.empty() && inventory_.Find(f.env) != nullptr && !user.RoleIn(f.env)) {
          return Fail(ErrorCode::kPermissionDenied,
                      user.email + " has no role in environment " + f.env);
        }
        if (!user.RoleIn("*")) {
          for (const auto& env : inventory_.environments()) {
            if (user.RoleIn(env.config.name)) {
              f.visible.insert(env.config.name);
            }
          }
          if (f.visible.empty()) {
            return Ok({{"items", nlohmann::json::array()}, {"next_cursor", nullptr}});
          }
        }
        auto page = inventory_.ListJson(f);
        EC2M_RETURN_IF_ERROR(page);
        return Reply{200, nullptr, std::move(*page), "application/json"};
      });
  add("GET", "/api/v1/instances/{env}/{id}", kEnvRole, kViewer, "show an instance",
      [this](Call& call) -> Result<Reply> {
        auto item = inventory_.Get(call.env, call.Param("id"));
        EC2M_RETURN_IF_ERROR(item);
        return Ok(ItemToJson(*item));
      });
  for (const auto& [action, role] :
       {std::pair{"start", Role::kOperator}, std::pair{"stop", Role::kOperator},
        std::pair{"reboot", Role::kOperator}, std::pair{"terminate", Role::kDeployer}}) {
    const std::string name = action;
    add("POST", "/api/v1/instances/{env}/{id}/" + name, kEnvRole, role, name + " instances",
        [this, name](Call& call) -> Result<Reply> {
          const std::string id = call.Param("id");
          auto results = inventory_.Act(call.env, name, {id});
          EC2M_RETURN_IF_ERROR(results);
          const ActionResult& r = results->front();
          AuditAction(call, "instance." + name, id, r.ok ? nullptr : &r.error);
          if (!r.ok) {
            return Fail(r.error);
          }
          return Ok({{"id", r.id}, {"previous_state", r.previous_state}, {"state", r.state}});
        });
  }
  add("POST", "/api/v1/instances/actions", kEnvRole, Role::kOperator, "act on several instances",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        (void)body->String("env");  // checked by Authorize
        auto action = body->String("action");
        EC2M_RETURN_IF_ERROR(action);
        auto ids = body->OptStrings("ids");
        EC2M_RETURN_IF_ERROR(ids);
        EC2M_RETURN_IF_ERROR(body->Finish());
        if (*action == "terminate") {
          auto held = call.who->user.RoleIn(call.env);
          if (!held || !RoleAllows(*held, Role::kDeployer)) {
            return Fail(ErrorCode::kPermissionDenied,
                        "terminate instances needs the deployer role in environment " + call.env);
          }
        }
        auto results = inventory_.Act(call.env, *action, ids->value_or(std::vector<std::string>{}));
        EC2M_RETURN_IF_ERROR(results);
        nlohmann::json items = nlohmann::json::array();
        for (const ActionResult& r : *results) {
          AuditAction(call, "instance." + *action, r.id, r.ok ? nullptr : &r.error);
          items.push_back(ResultJson(r));
        }
        return Ok({{"results", items}});
      });
  add("PUT", "/api/v1/instances/{env}/{id}/tags", kEnvRole, Role::kOperator, "edit tags",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto set = body->OptStringMap("set");
        EC2M_RETURN_IF_ERROR(set);
        auto remove = body->OptStrings("remove");
        EC2M_RETURN_IF_ERROR(remove);
        EC2M_RETURN_IF_ERROR(body->Finish());
        const std::string id = call.Param("id");
        const auto to_set = set->value_or(std::map<std::string, std::string>{});
        const auto to_remove = remove->value_or(std::vector<std::string>{});
        std::vector<std::string> keys = to_remove;
        for (const auto& [key, value] : to_set) {
          keys.push_back(key);
        }
        // A protected tag refused refuses the whole change: no other tag is applied either.
        auto item = [&]() -> Result<InventoryItem> {
          EC2M_RETURN_IF_ERROR(CheckTagChange(call.who->user, call.env, keys));
          return inventory_.SetTags(call.env, id, to_set, to_remove);
        }();
        nlohmann::json detail = {{"set", to_set}, {"remove", to_remove}};
        AuditAction(call, "instance.tag", id, item ? nullptr : &item.error(), detail.dump());
        EC2M_RETURN_IF_ERROR(item);
        return Ok(ItemToJson(*item));
      });
  // One environment (a role there needed), or every environment the caller holds a role in.
  add("POST", "/api/v1/instances/refresh", kSignedIn, kViewer, "refresh the inventory",
      [this](Call& call) -> Result<Reply> {
        auto body = RequestBody(call);
        EC2M_RETURN_IF_ERROR(body);
        auto env = body->StringOr("env", "");
        EC2M_RETURN_IF_ERROR(env);
        EC2M_RETURN_IF_ERROR(body->Finish());
        auto envs = RefreshTargets(call.who->user, *env);
        EC2M_RETURN_IF_ERROR(envs);
        for (const std::string& name : *envs) {
          EC2M_RETURN_IF_ERROR(inventory_.Refresh(name));
        }
        return Reply{202,
                     {{"refreshed", envs->size() == 1 && envs->front().empty()
                                        ? std::string("all")
                                        : fmt::format("{}", fmt::join(*envs, ", "))}}};
      });

  // --- The embedded simulated regions' faults (global admins): how a health check is made to
  // fail, a call throttled or slowed, while the server runs.
  auto sim_faults = [this](Call& call, const std::optional<std::string>& faults) -> Result<Reply> {
    if (!services_.sim_faults) {
      return Fail(ErrorCode::kNotFound, "this server has no simulated region");
    }
    auto answer = services_.sim_faults(call.Param("region"), faults);
    EC2M_RETURN_IF_ERROR(answer);
    auto body = ParseStoredJson(*answer, "the region's faults");
    EC2M_RETURN_IF_ERROR(body);
    return Reply{200, std::move(*body)};
  };
  add("GET", "/api/v1/sim/regions/{region}/faults", kAdmin, kViewer,
      "read a simulated region's faults",
      [sim_faults](Call& call) { return sim_faults(call, std::nullopt); });
  add("PUT", "/api/v1/sim/regions/{region}/faults", kAdmin, kViewer,
      "set a simulated region's faults", [this, sim_faults](Call& call) -> Result<Reply> {
        auto set = sim_faults(call, call.req.body.empty() ? "{}" : call.req.body);
        const Error error = set ? Error{} : set.error();
        AuditAction(call, "sim.faults", call.Param("region"), set ? nullptr : &error,
                    call.req.body.substr(0, 500));
        return set;
      });

  // --- Audit (global admins)
  add("GET", "/api/v1/audit", kAdmin, kViewer, "read the audit log",
      [this](Call& call) -> Result<Reply> {
        audit::AuditQuery q;
        auto limit = QueryInt(call, "limit", 100, 1, 1000);
        EC2M_RETURN_IF_ERROR(limit);
        q.limit = *limit;
        auto after = QueryInt(call, "after", 0, 0, std::numeric_limits<int>::max());
        EC2M_RETURN_IF_ERROR(after);
        q.after_seq = *after;
        const std::string order = call.Query("order");
        if (!order.empty() && order != "asc" && order != "desc") {
          return Fail(ErrorCode::kInvalidArgument,
                      "order: expected asc or desc, got " + ShownValue(order));
        }
        q.descending = order == "desc";
        if (const std::string since = call.Query("since"); !since.empty()) {
          auto at = ParseIso8601(since);
          if (!at) {
            return Fail(ErrorCode::kInvalidArgument,
                        "since: expected an RFC 3339 UTC time (2026-11-27T10:00:00Z), got " +
                            ShownValue(since));
          }
          // Entries carry milliseconds: compare in that form, so a whole second is included.
          q.since = FormatIso8601Millis(*at);
        }
        auto entries = audit_.List(q);
        EC2M_RETURN_IF_ERROR(entries);
        nlohmann::json items = nlohmann::json::array();
        for (const auto& e : *entries) {
          items.push_back(audit::ToJsonValue(e));
        }
        nlohmann::json next = nullptr;
        if (static_cast<int>(entries->size()) == q.limit && !entries->empty()) {
          next = std::to_string(entries->back().seq);
        }
        return Ok({{"items", items}, {"next_cursor", next}});
      });
  add("GET", "/api/v1/audit/verify", kAdmin, kViewer, "verify the audit chain",
      [this](Call&) -> Result<Reply> {
        auto report = audit_.Verify();
        EC2M_RETURN_IF_ERROR(report);
        return Ok({{"intact", report->intact},
                   {"entries", report->entries},
                   {"first_bad", report->first_bad},
                   {"problem", report->problem},
                   {"head_hash", report->head_hash}});
      });
  add("GET", "/metrics", kPublic, kViewer, "scrape metrics (Prometheus text)",
      [this](Call& call) -> Result<Reply> {
        if (!options_.metrics_token.empty() &&
            !ConstantTimeEquals(Sha256Hex(call.bearer), metrics_token_hash_)) {
          return Fail(ErrorCode::kUnauthenticated,
                      "the metrics need Authorization: Bearer <metrics_token>");
        }
        std::string text = metrics_.Render();
        if (services_.monitor != nullptr) {
          text += services_.monitor->metrics().RenderCardinality();
        }
        text += RenderHttpStats(http_.Stats());
        return Reply{200, nullptr, std::make_shared<const std::string>(std::move(text))};
      });
}

nlohmann::json ApiServer::OpenApi() const {
  // The one error body every route answers with.
  const nlohmann::json text = {{"type", "string"}};
  const nlohmann::json error = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message", "request_id"}},
          {"properties", {{"code", text}, {"message", text}, {"request_id", text}}}}}}}};
  nlohmann::json paths = nlohmann::json::object();
  for (const Route& r : routes_) {
    const std::string method = AsciiLower(r.method);
    nlohmann::json op = {
        {"summary", r.summary},
        {"responses",
         {{"2XX", {{"description", "the answer"}}},
          {"default",
           {{"description", "an error"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}};
    std::string access;
    switch (r.access) {
      case Access::kPublic:
        access = "public";
        break;
      case Access::kSignedIn:
        access = "signed-in";
        break;
      case Access::kEnvRole:
        access = std::string(RoleName(r.role)) + " in the environment";
        break;
      case Access::kAdmin:
        access = "global admin";
        break;
    }
    op["x-ec2m-access"] = access;
    if (r.access != Access::kPublic) {
      op["security"] = nlohmann::json::array({{{"bearer", nlohmann::json::array()}}});
    }
    nlohmann::json params = nlohmann::json::array();
    for (size_t i = r.path.find('{'); i != std::string::npos; i = r.path.find('{', i + 1)) {
      params.push_back({{"name", r.path.substr(i + 1, r.path.find('}', i) - i - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) {
      op["parameters"] = params;
    }
    paths[r.path][method] = op;
  }
  return {{"openapi", "3.0.3"},
          {"info", {{"title", "ec2m REST API"}, {"version", "1"}}},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", {{"Error", error}}}}},
          {"paths", paths}};
}

}  // namespace ec2m::server
