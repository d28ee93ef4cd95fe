// The REST API's release routes (docs/api.md, "Releases and deployments"): releases, blue-green
// deployments and infrastructure changes held for approval, approvals, rejections and aborts.
// Reading needs the viewer role in the environment, releases and deployments the deployer role,
// approvals the approver role; listings show only the caller's environments.

#include <fmt/core.h>

#include "config/json_object.hpp"
#include "core/text.hpp"
#include "release/deployer.hpp"
#include "server/api_server.hpp"

namespace ec2m::server {
namespace {

Result<release::Deployer*> Service(release::Deployer* service) {
  if (service == nullptr) {
    return Fail(ErrorCode::kUnavailable, "releases are not enabled on this server");
  }
  return service;
}

// POST /api/v1/releases: {"group","env","image"?,"user_data"?,"commit"?,"branch"?,
// "workflow_url"?}.
Result<release::Release> ReadRelease(const Call& call) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  release::Release r;
  for (auto [key, out, required] :
       {std::tuple{"group", &r.group, true}, std::tuple{"env", &r.environment, true},
        std::tuple{"image", &r.image, false}, std::tuple{"commit", &r.commit, false},
        std::tuple{"branch", &r.branch, false},
        std::tuple{"workflow_url", &r.workflow_url, false}}) {
    auto value = required ? body->String(key) : body->StringOr(key, "");
    EC2M_RETURN_IF_ERROR(value);
    *out = std::move(*value);
  }
  auto user_data = body->OptString("user_data");
  EC2M_RETURN_IF_ERROR(user_data);
  r.user_data = *user_data;
  EC2M_RETURN_IF_ERROR(body->Finish());
  r.author = call.who->user.email;
  return r;
}

// POST /api/v1/deployments: {"env","release","group"?,"emergency"?,"emergency_reason"?}.
Result<release::DeployRequest> ReadDeploy(const Call& call) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  release::DeployRequest r;
  for (auto [key, out, required] :
       {std::tuple{"env", &r.environment, true}, std::tuple{"release", &r.release, true},
        std::tuple{"group", &r.group, false}, std::tuple{"emergency", &r.emergency, false},
        std::tuple{"emergency_reason", &r.emergency_reason, false}}) {
    auto value = required ? body->String(key) : body->StringOr(key, "");
    EC2M_RETURN_IF_ERROR(value);
    *out = std::move(*value);
  }
  EC2M_RETURN_IF_ERROR(body->Finish());
  r.author = call.who->user.email;
  r.mfa_verified = call.who->mfa_verified;
  return r;
}

// {"comment"?: "..."}.
Result<std::string> ReadComment(const Call& call) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  auto comment = body->StringOr("comment", "");
  EC2M_RETURN_IF_ERROR(comment);
  if (comment->size() > 2000) {
    return body->Invalid("comment", "longer than 2000 characters");
  }
  EC2M_RETURN_IF_ERROR(body->Finish());
  return comment;
}

// A release as `user` may see it: its user data only for deployers (and admins) of the
// environment it was made in; anyone else gets the field omitted, and "user_data_hidden": true
// when the release carries user data.
nlohmann::json ReleaseFor(const User& user, const release::Release& r) {
  nlohmann::json j = release::ReleaseJson(r);
  if (!HoldsRole(user, r.environment, Role::kDeployer)) {
    j.erase("user_data");
    if (r.user_data) {
      j["user_data_hidden"] = true;
    }
  }
  return j;
}

// A deployment as `user` may see it: an infrastructure change's config text (which carries
// user data) only for deployers and admins of its environment; anyone else gets it omitted and
// "config_text_hidden": true. Its plan is shown to every reader.
nlohmann::json DeploymentFor(const User& user, const release::Deployment& d) {
  nlohmann::json j = release::DeploymentJson(d);
  if (d.infrastructure && !HoldsRole(user, d.environment, Role::kDeployer)) {
    j["infrastructure"].erase("config_text");
    j["infrastructure"]["config_text_hidden"] = true;
  }
  return j;
}

// The deployments of `release` among `all` in the environments `user` holds a role in.
nlohmann::json DeploymentsOf(const User& user, const std::string& release,
                             const std::vector<release::Deployment>& all) {
  nlohmann::json went = nlohmann::json::array();
  for (const release::Deployment& d : all) {
    if (d.release == release && user.RoleIn(d.environment)) {
      went.push_back({{"id", d.id}, {"environment", d.environment}, {"state", d.state}});
    }
  }
  return went;
}

// Whether `user` may see a release: they hold a role in the environment it was made in, or in
// one it was deployed to (`went`: its deployments they may see).
bool ReleaseVisible(const User& user, const release::Release& r, const nlohmann::json& went) {
  return user.RoleIn(r.environment).has_value() || !went.empty();
}

}  // namespace

void ApiServer::AddReleaseRoutes() {
  const Access kEnvRole = Access::kEnvRole;
  auto deployment_env = [this](const Call& call) -> Result<std::string> {
    auto service = Service(services_.deployer);
    EC2M_RETURN_IF_ERROR(service);
    auto d = (*service)->releases().GetDeployment(call.Param("id"));
    EC2M_RETURN_IF_ERROR(d);
    return d->environment;
  };
  auto body_env = [this](const Call& call) -> Result<std::string> {
    EC2M_RETURN_IF_ERROR(Service(services_.deployer));
    auto body = RequestBody(call);
    EC2M_RETURN_IF_ERROR(body);
    return body->String("env");
  };

  AddRoute("POST", "/api/v1/releases", kEnvRole, Role::kDeployer,
           "create a release of an instance group", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto r = ReadRelease(call);
             EC2M_RETURN_IF_ERROR(r);
             auto made = (*service)->CreateRelease(*r);
             const Error error = made ? Error{} : InBody(made.error());
             AuditAction(call, "release.create", made ? made->id : "", made ? nullptr : &error,
                         fmt::format("{} image {}", r->group, r->image));
             if (!made) {
               return Fail(error);
             }
             return Reply{201, release::ReleaseJson(*made)};
           });
  routes_.back().env_from = body_env;

  // Releases with where each went (its deployments, newest first): the pipeline view. Only the
  // releases of the caller's environments (made in or deployed to one).
  AddRoute("GET", "/api/v1/releases", Access::kSignedIn, Role::kViewer,
           "list releases with their deployments", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto limit = QueryInt(call, "limit", 50, 1, 200);
             EC2M_RETURN_IF_ERROR(limit);
             auto releases = (*service)->releases().ListReleases(*limit);
             EC2M_RETURN_IF_ERROR(releases);
             auto deployments = (*service)->releases().ListDeployments("", 1000);
             EC2M_RETURN_IF_ERROR(deployments);
             const User& user = call.who->user;
             nlohmann::json items = nlohmann::json::array();
             for (const release::Release& r : *releases) {
               nlohmann::json went = DeploymentsOf(user, r.id, *deployments);
               if (!ReleaseVisible(user, r, went)) {
                 continue;
               }
               nlohmann::json j = ReleaseFor(user, r);
               j["deployments"] = std::move(went);
               items.push_back(std::move(j));
             }
             return Reply{200, {{"items", std::move(items)}}};
           });

  // A release the caller may not see is not found (its id says nothing about another
  // environment's work).
  AddRoute("GET", "/api/v1/releases/{id}", Access::kSignedIn, Role::kViewer, "read a release",
           [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto r = (*service)->releases().GetRelease(call.Param("id"));
             EC2M_RETURN_IF_ERROR(r);
             const User& user = call.who->user;
             nlohmann::json went = nlohmann::json::array();
             if (!user.RoleIn(r->environment)) {
               auto deployments = (*service)->releases().ListDeployments("", 1000);
               EC2M_RETURN_IF_ERROR(deployments);
               went = DeploymentsOf(user, r->id, *deployments);
             }
             if (!ReleaseVisible(user, *r, went)) {
               return Fail(ErrorCode::kNotFound, "release " + r->id + " not found");
             }
             return Reply{200, ReleaseFor(user, *r)};
           });

  AddRoute("POST", "/api/v1/deployments", kEnvRole, Role::kDeployer,
           "deploy a release to an environment (blue-green)", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto request = ReadDeploy(call);
             EC2M_RETURN_IF_ERROR(request);
             auto d = (*service)->Deploy(*request);
             const Error error = d ? Error{} : InBody(d.error());
             AuditAction(call, "deployment.create", d ? d->id : "", d ? nullptr : &error,
                         fmt::format("{}{}", request->release,
                                     request->emergency.empty()
                                         ? ""
                                         : fmt::format(" (emergency {}: {})", request->emergency,
                                                       request->emergency_reason)));
             if (!d) {
               return Fail(error);
             }
             return Reply{201, DeploymentFor(call.who->user, *d)};
           });
  routes_.back().env_from = body_env;

  AddRoute("GET", "/api/v1/deployments", Access::kSignedIn, Role::kViewer,
           "list deployments, newest first", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto limit = QueryInt(call, "limit", 100, 1, 1000);
             EC2M_RETURN_IF_ERROR(limit);
             const std::string kind = call.Query("kind");
             if (!kind.empty() && kind != release::kKindRelease &&
                 kind != release::kKindInfrastructure) {
               return Fail(ErrorCode::kInvalidArgument,
                           "kind: expected release or infrastructure, got " + ShownValue(kind));
             }
             const std::string env = call.Query("env");
             const User& user = call.who->user;
             if (!env.empty() && !user.RoleIn(env)) {
               return Fail(ErrorCode::kPermissionDenied,
                           user.email + " has no role in environment " + env);
             }
             auto list = (*service)->releases().ListDeployments(env, *limit);
             EC2M_RETURN_IF_ERROR(list);
             nlohmann::json items = nlohmann::json::array();
             for (const release::Deployment& d : *list) {
               if (user.RoleIn(d.environment) && (kind.empty() || d.kind == kind)) {
                 items.push_back(DeploymentFor(user, d));
               }
             }
             return Reply{200, {{"items", std::move(items)}}};
           });

  AddRoute("GET", "/api/v1/deployments/{id}", kEnvRole, Role::kViewer,
           "read a deployment with its events", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.deployer);
             EC2M_RETURN_IF_ERROR(service);
             auto d = (*service)->releases().GetDeployment(call.Param("id"));
             EC2M_RETURN_IF_ERROR(d);
             return Reply{200, DeploymentFor(call.who->user, *d)};
           });
  routes_.back().env_from = deployment_env;

  // approve, reject, abort: the actor as the deployer sees them; audited either way.
  using Act = std::function<Result<release::Deployment>(release::Deployer&, const std::string& id,
                                                        const release::Actor&, const std::string&)>;
  auto action = [this, deployment_env](const std::string& verb, Role role,
                                       const std::string& summary, const Act& act) {
    AddRoute("POST", "/api/v1/deployments/{id}/" + verb, Access::kEnvRole, role, summary,
             [this, verb, act](Call& call) -> Result<Reply> {
               auto service = Service(services_.deployer);
               EC2M_RETURN_IF_ERROR(service);
               auto comment = ReadComment(call);
               EC2M_RETURN_IF_ERROR(comment);
               const User& user = call.who->user;
               const auto held = user.RoleIn(call.env);
               const release::Actor actor{user.email,
                                          held ? std::string(RoleName(*held)) : std::string(),
                                          user.admin(), call.who->mfa_verified};
               auto d = act(**service, call.Param("id"), actor, *comment);
               const Error error = d ? Error{} : InBody(d.error());
               AuditAction(call, "deployment." + verb, call.Param("id"), d ? nullptr : &error,
                           *comment);
               if (!d) {
                 return Fail(error);
               }
               return Reply{200, DeploymentFor(user, *d)};
             });
    routes_.back().env_from = deployment_env;
  };
  action("approve", Role::kApprover, "approve a deployment waiting for approval",
         [](release::Deployer& s, const std::string& id, const release::Actor& a,
            const std::string& comment) { return s.Approve(id, a, comment); });
  action("reject", Role::kApprover, "reject a deployment waiting for approval",
         [](release::Deployer& s, const std::string& id, const release::Actor& a,
            const std::string& comment) { return s.Reject(id, a, comment); });
  action("abort", Role::kDeployer, "abort a deployment (rolls back what it launched)",
         [](release::Deployer& s, const std::string& id, const release::Actor& a,
            const std::string&) { return s.Abort(id, a); });
}

}  // namespace ec2m::server
