#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "config/json_object.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "core/store.hpp"
#include "http/server.hpp"
#include "server/identity.hpp"
#include "server/inventory.hpp"
#include "server/metrics.hpp"
#include "server/rate_limiter.hpp"
#include "server/readiness.hpp"
#include "stack/provisioner.hpp"

namespace ec2m::monitor {
class Monitor;
}  // namespace ec2m::monitor
namespace ec2m::notify {
class Outbox;
}  // namespace ec2m::notify
namespace ec2m::incidents {
class Incidents;
}  // namespace ec2m::incidents
namespace ec2m::release {
class Deployer;
}  // namespace ec2m::release

namespace ec2m::server {

// Who may call a route.
enum class Access {
  kPublic,    // anyone (health, metrics, sign-in)
  kSignedIn,  // any valid token
  kEnvRole,   // `role` in the environment the request names ({env} in the path, "env" in the body)
  kAdmin,     // a global admin ("admin" on "*")
};

// What a handler answers: a status and a JSON body (null: no body, e.g. 204), or a text body.
struct Reply {
  int status = 200;
  nlohmann::json body;
  // When set, sent as is instead of `body`, from the string itself (a cached listing is shared,
  // never copied into the response).
  std::shared_ptr<const std::string> text;
  std::string content_type = "text/plain; version=0.0.4";  // of `text`
};

// One request as a handler sees it.
struct Call {
  const http::Request& req;
  std::string request_id;
  std::string source;  // the client's address
  std::string bearer;
  std::shared_ptr<const Principal> who;  // null until Identify signs the caller in
  std::string env;  // the environment the route's access was checked against, if any
  std::map<std::string, std::string> params;  // path parameters by name

  std::string Param(const std::string& name) const;  // path parameter
  std::string Query(const std::string& name) const;  // query string ("" when absent)
};

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/instances/{env}/{id}/stop"
  Access access = Access::kSignedIn;
  Role role = Role::kViewer;  // for kEnvRole
  std::string summary;        // one line, for the OpenAPI document
  std::function<Result<Reply>(Call&)> handle;
  std::vector<std::string> segments;  // `path` split at '/': "api", "v1", "{env}", ...
  std::string label;                  // "GET /api/v1/instances", for metrics
  // kEnvRole routes without {env}: where the environment comes from (an incident's, say);
  // unset: the body's "env". Its errors are the request's.
  std::function<Result<std::string>(const Call&)> env_from;
  // kEnvRole routes that also take "ec2m", the control plane's own scope (its alarms and
  // metrics), for holders of a role in every environment ("*").
  bool control_plane_scope = false;
  // Changes outside identity (which commits each change with its entry): an audit entry of the
  // request ("requested") is written before the handler runs, and the request is refused when
  // it cannot be, so no change happens unaudited. Set by AddRoute.
  bool audit_request = false;
  // Counted against the caller's request rate (ApiOptions::rate). The health checks are not:
  // a load balancer's probes must not be refused because others behind its address are busy.
  bool rate_limited = true;
  // Answered on the HTTP event loop when its caller is known without reading the store
  // (http::ServerOptions::quick): the handler and its access check read memory only. The
  // health checks and the instance listing (the inventory's cache), the console's hottest calls.
  bool quick = false;
};

struct ApiOptions {
  std::string console_dir;  // the built console; "" = none
  int64_t max_body_bytes = 1 << 20;
  // The HTTP layer's limits and deadlines (its body limit, TLS files and refusals are set from
  // the fields here).
  http::ServerOptions http;
  bool json_logs = true;  // access logs on stderr: JSON lines, else text
  bool quiet = false;     // no access logs (benchmarks)
  std::string tls_cert;   // PEM; with tls_key, HTTPS only
  std::string tls_key;
  // /health/ready's checks run this often in the background; answers come from the last one.
  std::chrono::milliseconds ready_check_every = std::chrono::seconds(15);
  // When set, /metrics needs "Authorization: Bearer <metrics_token>".
  std::string metrics_token;
  // Each signed-in user's request rate, or each address's for requests that sign in no one.
  RatePolicy rate;
};

// The services behind the REST API's subsystem routes, borrowed. A route whose service is null
// answers 503 naming what is missing.
struct Services {
  stack::Provisioner* provisioner = nullptr;  // environments as code
  monitor::Monitor* monitor = nullptr;        // metrics, alarms, dashboards
  notify::Outbox* outbox = nullptr;           // channels and the notification outbox
  incidents::Incidents* incidents = nullptr;  // incidents
  release::Deployer* deployer = nullptr;      // releases and blue-green deployments
  // The embedded simulated regions' faults: a region's as JSON (sim::FaultConfigToJson), after
  // replacing them with `faults` when given. Errors: kNotFound for a region not simulated here;
  // kInvalidArgument naming the JSON path of a bad fault. Unset: no simulated region.
  std::function<Result<std::string>(const std::string& region,
                                    const std::optional<std::string>& faults)>
      sim_faults;
};

// The REST API under /api/v1 (docs/api.md), /health/live, /health/ready, /metrics, the OpenAPI
// document and the console's files. Every answer carries X-Request-Id; every error is
// {"error":{"code","message","request_id"}}; every /api/v1 route checks its Access before its
// handler runs. Thread-safe; borrows everything.
class ApiServer {
 public:
  ApiServer(Store& store, Identity& identity, Inventory& inventory, audit::AuditLog& audit,
            Metrics& metrics, const Clock& clock, Random& random, ApiOptions options,
            Services services = {});

  // See http::Server::Listen.
  Result<int> Listen(const std::string& host, int port);
  void Stop();

  const std::vector<Route>& routes() const { return routes_; }
  // The OpenAPI 3.0 document of the routes.
  nlohmann::json OpenApi() const;

 private:
  void AddRoute(std::string method, std::string path, Access access, Role role, std::string summary,
                std::function<Result<Reply>(Call&)> handle);
  void AddRoutes();
  void AddStackRoutes();
  void AddMonitorRoutes();    // monitor_routes.cpp
  void AddNotifyRoutes();     // notify_routes.cpp
  void AddIncidentRoutes();   // incident_routes.cpp
  void AddDashboardRoutes();  // dashboard_routes.cpp
  void AddReleaseRoutes();    // release_routes.cpp
  Result<stack::Provisioner*> Stack(const Call& call) const;
  // The deployer that provisions and rolls back call.env (Stack's errors; kUnavailable without
  // one).
  Result<release::Deployer*> Infrastructure(const Call& call) const;
  // What POST /instances/refresh refreshes for `user`: `env` when they hold a role there, else
  // every environment they hold one in ({""}: all, for a "*" role). Errors: kNotFound for an
  // unknown environment; kPermissionDenied without a role there (or anywhere).
  Result<std::vector<std::string>> RefreshTargets(const User& user, const std::string& env) const;
  // Reads the console's index.html and assets into memory (the files a request may name are
  // those found here, nothing else of the disk).
  void LoadConsole();
  // The route a request names: its path parameters, or the methods the path allows (for a 405),
  // or that the path does not decode.
  struct Resolved {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    std::string allowed;
    bool bad_escape = false;
  };
  Resolved Resolve(const http::Request& req) const;
  // Finds the route of a request and serves it (or a console file, a 404 or a 405).
  void Dispatch(const http::Request& req, http::Response& res);
  // The same on the event loop for what needs no waiting (Route::quick, the console's files, the
  // refusals of unknown paths); false, having done nothing, for the rest.
  bool Quick(const http::Request& req, http::Response& res);
  // A console file, a 405 or a 404 for a request no route serves.
  void ServeUnrouted(const Resolved& resolved, const http::Request& req, http::Response& res);
  // The one error body for a refusal and for errors before any route ran.
  void ReplyError(const Error& error, int status, http::Response& res);
  // "<this process's UUID>-<counter>": every answer's X-Request-Id.
  std::string NextRequestId();
  // `who`: the caller when already known (the quick path), else Identify finds them.
  void Serve(const Route& route, std::map<std::string, std::string> params,
             const http::Request& req, http::Response& res,
             std::shared_ptr<const Principal> who = nullptr);
  // Signs the caller in when the route is not public (sets call.who, unless already known).
  Result<void> Identify(const Route& route, Call& call);
  // Takes a request from the caller's rate (ApiOptions::rate): the user's, the metrics scraper's
  // or the address's. Errors: kThrottled with retry_after_seconds.
  Result<void> TakeRate(const Call& call);
  // Checks the route's access for the identified caller; sets call.env.
  Result<void> Authorize(const Route& route, Call& call);
  // Writes the audit entry of a request about to change something (Route::audit_request).
  // Errors: kUnavailable when the audit log cannot be written.
  Result<void> AuditRequest(const Route& route, const Call& call);
  // Whether changes in `env` need an MFA-verified session: its file says so, or the config in
  // force (last applied) does.
  bool MfaRequired(const EnvironmentHandle& env);
  bool AnyEnvironmentRequiresMfa();
  // Records an action on an environment in the audit log.
  void AuditAction(const Call& call, const std::string& action, const std::string& target,
                   const Error* error, const std::string& detail = "");

  Store& store_;
  Identity& identity_;
  Inventory& inventory_;
  audit::AuditLog& audit_;
  Metrics& metrics_;
  const Clock& clock_;
  Random& random_;
  ApiOptions options_;
  Services services_;
  std::vector<Route> routes_;
  // Indexes into routes_ by the number of segments of their path: a request is matched against
  // the routes of its own length only.
  std::vector<std::vector<size_t>> routes_by_length_;
  struct ConsoleFile {
    std::shared_ptr<const std::string> content;  // written from here by every answer
    std::string content_type;
  };
  // The console's files by path ("/index.html", "/assets/index-1a2b.js"); set by Listen.
  std::map<std::string, ConsoleFile, std::less<>> console_;
  std::vector<std::pair<std::string, std::string>> security_headers_;
  const std::string request_id_prefix_;
  std::atomic<uint64_t> next_request_{0};
  Readiness readiness_;
  RateLimiter rate_limiter_;
  const std::string metrics_token_hash_;  // Sha256Hex(options_.metrics_token)
  static constexpr int64_t kInForceCacheMs = 5000;
  std::mutex in_force_mu_;
  // environment → (MFA required in force, until when that is trusted); guarded by in_force_mu_
  std::map<std::string, std::pair<bool, int64_t>> mfa_in_force_;
  http::Server http_;
};

// The query parameter `name` as an integer in [min, max]; `fallback` when absent. Errors:
// kInvalidArgument naming the parameter ("limit: expected an integer 1..1000, got \"x\"").
Result<int> QueryInt(const Call& call, const std::string& name, int fallback, int min, int max);

// A Route.env_from for routes that name their environment in the query (?env=dev, or ec2m for
// the control plane's own scope). Errors: kInvalidArgument when it is missing.
Result<std::string> EnvFromQuery(const Call& call);

// The request's JSON body as an object ("{}" when empty), read key by key by the handlers.
Result<config::JsonObject> RequestBody(const Call& call);
// A service's kInvalidArgument named after the body's field ("title: required") as the body
// reader names them ("request body: $.title: required"); other errors as they are.
Error InBody(Error e);

// "/api/v1/instances/dev" → {"api", "v1", "instances", "dev"}: how routes and requests are split
// for matching. The views point into `path`.
std::vector<std::string_view> PathSegments(std::string_view path);

// The headers every answer carries: a Content-Security-Policy without inline script, nosniff,
// no framing, no referrer, and HSTS when serving TLS.
std::multimap<std::string, std::string> SecurityHeaders(bool tls);

// Whether `user` holds a role in `env` (a "*" role counts) that allows what `needed` allows: how
// handlers decide what a caller may see beyond the route's own access rule (a release's user data,
// a config's text: deployers and admins of the environment).
bool HoldsRole(const User& user, const std::string& env, Role needed);

// The HTTP status of each error code (the REST API's one table).
int HttpStatus(ErrorCode code);

}  // namespace ec2m::server
