// The REST API's environments-as-code routes (docs/api.md, "Environments as code"): config,
// plan, provision, change sets, rollback, status, drift and the apply lock.

#include <fmt/core.h>

#include <charconv>

#include "config/json_object.hpp"
#include "core/digest.hpp"
#include "core/text.hpp"
#include "release/deployer.hpp"
#include "server/api_server.hpp"
#include "stack/compliance.hpp"

namespace ec2m::server {
namespace {

nlohmann::json PlanJson(const stack::PlanResult& p) {
  return {{"plan", p.plan.ToJson()},
          {"rendered", p.plan.Render()},
          {"config_version", p.config_version},
          {"config_changed", p.config_changed}};
}

// "emergency" and "emergency_reason" of a provision or rollback body, read so that an
// infrastructure change asked for as an emergency is refused saying why, not as an unknown key.
Result<std::string> ReadEmergency(config::JsonObject& body) {
  auto emergency = body.StringOr("emergency", "");
  EC2M_RETURN_IF_ERROR(emergency);
  EC2M_RETURN_IF_ERROR(body.StringOr("emergency_reason", ""));
  return emergency;
}

// The body of plan and provision: {"config"?: text, "allow_delete_retained"?: bool}; provision
// also reads "emergency" and "emergency_reason" to refuse them by name (an infrastructure change
// is never an emergency).
struct PlanBody {
  std::optional<std::string> config;
  bool allow_delete_retained = false;
  std::string emergency;
};
Result<PlanBody> ReadPlanBody(const Call& call, bool provision) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  auto text = body->OptString("config");
  EC2M_RETURN_IF_ERROR(text);
  auto allow = body->OptBool("allow_delete_retained");
  EC2M_RETURN_IF_ERROR(allow);
  PlanBody out{*text, allow->value_or(false), ""};
  if (provision) {
    auto emergency = ReadEmergency(*body);
    EC2M_RETURN_IF_ERROR(emergency);
    out.emergency = *emergency;
  }
  EC2M_RETURN_IF_ERROR(body->Finish());
  return out;
}

// A provision or rollback of call.env by the caller.
release::InfrastructureRequest ChangeRequest(const Call& call, const std::string& action) {
  release::InfrastructureRequest request;
  request.environment = call.env;
  request.author = call.who->user.email;
  request.action = action;
  request.mfa_verified = call.who->mfa_verified;
  return request;
}

// What a provision or rollback answers: the change set applying (202), nothing to do (200), or
// the deployment that holds it for approval (202).
Reply ChangedReply(const release::InfrastructureOutcome& outcome) {
  if (outcome.held) {
    const release::Infrastructure& change = *outcome.held->infrastructure;
    return Reply{202,
                 {{"plan", {{"summary", change.summary}}},
                  {"rendered", change.plan},
                  {"config_version", change.config_version},
                  {"changeset", nullptr},
                  {"deployment", release::DeploymentJson(*outcome.held)}}};
  }
  const stack::Started& s = *outcome.started;
  nlohmann::json body = PlanJson(s.plan);
  body["changeset"] = s.change_set ? stack::ChangeSetJson(*s.change_set, false) : nullptr;
  body["deployment"] = nullptr;
  return Reply{s.change_set ? 202 : 200, std::move(body)};
}

// The audit detail of a provision or rollback: the change set, the deployment holding it, or
// that there was nothing to do.
std::string Outcome(const Result<release::InfrastructureOutcome>& outcome) {
  if (!outcome) {
    return "";
  }
  if (outcome->held) {
    return "held for approval as " + outcome->held->id;
  }
  return outcome->started->change_set ? outcome->started->change_set->id : "no changes";
}

// A config's text carries every instance group's user data (a release's too, once deployed):
// shown, like a release's user data, to deployers and admins of the environment only.
bool MaySeeConfigText(const Call& call) {
  return HoldsRole(call.who->user, call.env, Role::kDeployer);
}

}  // namespace

Result<release::Deployer*> ApiServer::Infrastructure(const Call& call) const {
  EC2M_RETURN_IF_ERROR(Stack(call));
  if (services_.deployer == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                "infrastructure changes are not available: this server runs no deployer (the "
                "two-person rule needs it)");
  }
  return services_.deployer;
}

Result<stack::Provisioner*> ApiServer::Stack(const Call& call) const {
  stack::Provisioner* provisioner = services_.provisioner;
  if (provisioner == nullptr || !provisioner->Has(call.env)) {
    return Fail(ErrorCode::kUnavailable,
                "environment " + call.env + " is not managed as code by this server");
  }
  return provisioner;
}

void ApiServer::AddStackRoutes() {
  const Access kEnvRole = Access::kEnvRole;
  AddRoute("GET", "/api/v1/environments/{env}/config", kEnvRole, Role::kViewer,
           "read an environment's config", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto current = (*p)->CurrentConfig(call.env);
             EC2M_RETURN_IF_ERROR(current);
             nlohmann::json body = {
                 {"environment", call.env},
                 {"text", current->first},
                 {"version", Sha256Hex(current->first).substr(0, 12)},
                 {"applied_change_set", current->second.empty() ? nlohmann::json(nullptr)
                                                                : nlohmann::json(current->second)}};
             if (!MaySeeConfigText(call)) {
               body["text"] = nullptr;
               body["text_hidden"] = true;
             }
             return Reply{200, std::move(body)};
           });
  AddRoute("POST", "/api/v1/environments/{env}/plan", kEnvRole, Role::kViewer,
           "plan a config against the cloud", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto body = ReadPlanBody(call, false);
             EC2M_RETURN_IF_ERROR(body);
             auto planned = (*p)->MakePlanFor(call.env, body->config, body->allow_delete_retained);
             EC2M_RETURN_IF_ERROR(planned);
             return Reply{200, PlanJson(*planned)};
           });
  // Where the rules in force require approval, provision and rollback are held as deployments
  // (release::Deployer::ChangeInfrastructure); elsewhere they apply at once.
  AddRoute("POST", "/api/v1/environments/{env}/provision", kEnvRole, Role::kDeployer,
           "apply a config as a change set", [this](Call& call) -> Result<Reply> {
             auto deployer = Infrastructure(call);
             EC2M_RETURN_IF_ERROR(deployer);
             auto body = ReadPlanBody(call, true);
             EC2M_RETURN_IF_ERROR(body);
             release::InfrastructureRequest request = ChangeRequest(call, "provision");
             request.config_text = body->config;
             request.allow_delete_retained = body->allow_delete_retained;
             request.emergency = body->emergency;
             auto changed = (*deployer)->ChangeInfrastructure(request);
             AuditAction(call, "environment.provision", call.env,
                         changed ? nullptr : &changed.error(), Outcome(changed));
             EC2M_RETURN_IF_ERROR(changed);
             return ChangedReply(*changed);
           });
  AddRoute("POST", "/api/v1/environments/{env}/rollback", kEnvRole, Role::kDeployer,
           "roll an environment back", [this](Call& call) -> Result<Reply> {
             auto deployer = Infrastructure(call);
             EC2M_RETURN_IF_ERROR(deployer);
             auto body = RequestBody(call);
             EC2M_RETURN_IF_ERROR(body);
             auto target = body->StringOr("target", "previous");
             EC2M_RETURN_IF_ERROR(target);
             auto confirm = body->StringOr("confirm", "");
             EC2M_RETURN_IF_ERROR(confirm);
             auto emergency = ReadEmergency(*body);
             EC2M_RETURN_IF_ERROR(emergency);
             EC2M_RETURN_IF_ERROR(body->Finish());
             if (stack::IsProduction(call.env) && *confirm != "ROLLBACK") {
               return Fail(ErrorCode::kInvalidArgument,
                           "request body: $.confirm: a production rollback needs \"ROLLBACK\", "
                           "got " +
                               ShownValue(*confirm));
             }
             release::InfrastructureRequest request = ChangeRequest(call, "rollback");
             request.target = *target;
             request.emergency = *emergency;
             auto changed = (*deployer)->ChangeInfrastructure(request);
             AuditAction(call, "environment.rollback", call.env,
                         changed ? nullptr : &changed.error(),
                         "to " + *target + (changed ? ": " + Outcome(changed) : ""));
             EC2M_RETURN_IF_ERROR(changed);
             return ChangedReply(*changed);
           });
  AddRoute(
      "GET", "/api/v1/environments/{env}/changesets", kEnvRole, Role::kViewer, "list change sets",
      [this](Call& call) -> Result<Reply> {
        auto p = Stack(call);
        EC2M_RETURN_IF_ERROR(p);
        int limit = 20;
        int64_t before = 0;
        for (auto [name, out, max] :
             {std::tuple<const char*, int64_t*, int64_t>{"limit", nullptr, 1000},
              {"before", &before, INT64_MAX}}) {
          const std::string text = call.Query(name);
          if (text.empty()) {
            continue;
          }
          int64_t n = 0;
          auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
          if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > max) {
            return Fail(
                ErrorCode::kInvalidArgument,
                fmt::format("{}: expected an integer 1..{}, got {}", name, max, ShownValue(text)));
          }
          if (out == nullptr) {
            limit = static_cast<int>(n);
          } else {
            *out = n;
          }
        }
        auto list = (*p)->change_sets().List(call.env, limit, before);
        EC2M_RETURN_IF_ERROR(list);
        nlohmann::json items = nlohmann::json::array();
        for (const stack::ChangeSet& cs : *list) {
          items.push_back(stack::ChangeSetJson(cs, false));
        }
        const bool more = static_cast<int>(list->size()) == limit && list->back().number > 1;
        return Reply{200,
                     {{"items", items},
                      {"next_cursor", more ? nlohmann::json(std::to_string(list->back().number))
                                           : nlohmann::json(nullptr)}}};
      });
  AddRoute("GET", "/api/v1/environments/{env}/changesets/{id}", kEnvRole, Role::kViewer,
           "read a change set", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto cs = (*p)->change_sets().Get(call.Param("id"));
             EC2M_RETURN_IF_ERROR(cs);
             if (cs->environment != call.env) {
               return Fail(ErrorCode::kNotFound,
                           "change set " + call.Param("id") + " not found in " + call.env);
             }
             nlohmann::json body = stack::ChangeSetJson(*cs, true);
             if (!MaySeeConfigText(call)) {
               body.erase("config_text");
               body["config_text_hidden"] = true;
             }
             return Reply{200, std::move(body)};
           });
  AddRoute("GET", "/api/v1/environments/{env}/status", kEnvRole, Role::kViewer,
           "check an environment's health", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             const std::string check = call.Query("check");
             auto report = (*p)->Status(call.env, check.empty() ? "all" : check);
             EC2M_RETURN_IF_ERROR(report);
             return Reply{200, stack::StatusJson(*report)};
           });
  AddRoute("GET", "/api/v1/environments/{env}/drift", kEnvRole, Role::kViewer,
           "find changes made outside ec2m", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto drift = (*p)->Drift(call.env);
             EC2M_RETURN_IF_ERROR(drift);
             return Reply{200, stack::DriftJson(call.env, *drift)};
           });
  AddRoute("GET", "/api/v1/environments/{env}/resources", kEnvRole, Role::kViewer,
           "list an environment's resources", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto found = (*p)->Resources(call.env);
             EC2M_RETURN_IF_ERROR(found);
             nlohmann::json items = nlohmann::json::array();
             for (const stack::Found& f : found->resources) {
               items.push_back({{"logical_id", f.logical_id},
                                {"type", f.type},
                                {"physical_id", f.physical_id},
                                {"state", f.state}});
             }
             return Reply{200, {{"environment", call.env}, {"items", items}}};
           });
  AddRoute("GET", "/api/v1/environments/{env}/lock", kEnvRole, Role::kViewer,
           "see who holds the apply lock", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto held = (*p)->locks().Holder(call.env);
             EC2M_RETURN_IF_ERROR(held);
             if (!held->has_value()) {
               return Reply{200, {{"locked", false}}};
             }
             return Reply{200,
                          {{"locked", true},
                           {"owner", (*held)->owner},
                           {"acquired_at", (*held)->acquired_at},
                           {"age_seconds", (*held)->age_seconds},
                           {"idle_seconds", (*held)->idle_seconds}}};
           });
  AddRoute("DELETE", "/api/v1/environments/{env}/lock", kEnvRole, Role::kAdmin,
           "break the apply lock", [this](Call& call) -> Result<Reply> {
             auto p = Stack(call);
             EC2M_RETURN_IF_ERROR(p);
             auto broken = (*p)->locks().Break(call.env);
             AuditAction(call, "environment.unlock", call.env, broken ? nullptr : &broken.error(),
                         broken && broken->has_value() ? "held by " + (*broken)->owner : "free");
             EC2M_RETURN_IF_ERROR(broken);
             if (!broken->has_value()) {
               return Reply{200, {{"released", false}}};
             }
             return Reply{200, {{"released", true}, {"owner", (*broken)->owner}}};
           });
}

}  // namespace ec2m::server
