// The REST API's incident routes (docs/api.md, "Incidents"): open, list, read, and work an
// incident (acknowledge, assign a commander, notes, status, resolve). Reading needs the viewer
// role in the incident's environment, everything else the deployer role there.

#include <fmt/core.h>

#include "config/json_object.hpp"
#include "core/text.hpp"
#include "incidents/incidents.hpp"
#include "server/api_server.hpp"

namespace ec2m::server {
namespace {

Result<incidents::Incidents*> Service(incidents::Incidents* service) {
  if (service == nullptr) {
    return Fail(ErrorCode::kUnavailable, "incidents are not enabled on this server");
  }
  return service;
}

Result<incidents::Severity> SeverityField(config::JsonObject& body) {
  auto text = body.String("severity");
  EC2M_RETURN_IF_ERROR(text);
  auto severity = incidents::ParseSeverity(*text);
  if (!severity) {
    return body.Invalid("severity",
                        fmt::format("expected P1, P2, P3 or P4, got {}", ShownValue(*text)));
  }
  return *severity;
}

// POST /api/v1/incidents: {"severity","title","environment","service"?,"description"?}.
Result<incidents::OpenRequest> ReadOpen(const Call& call) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  incidents::OpenRequest r;
  auto severity = SeverityField(*body);
  EC2M_RETURN_IF_ERROR(severity);
  r.severity = *severity;
  for (auto [key, out, required] :
       {std::tuple{"title", &r.title, true}, std::tuple{"environment", &r.environment, true},
        std::tuple{"service", &r.service, false},
        std::tuple{"description", &r.description, false}}) {
    auto value = required ? body->String(key) : body->StringOr(key, "");
    EC2M_RETURN_IF_ERROR(value);
    *out = std::move(*value);
  }
  EC2M_RETURN_IF_ERROR(body->Finish());
  r.actor = call.who->user.email;
  return r;
}

// A body of the named string fields (required unless listed in `optional`), and nothing else.
Result<std::map<std::string, std::string>> ReadFields(const Call& call,
                                                      const std::vector<std::string>& required,
                                                      const std::vector<std::string>& optional) {
  auto body = RequestBody(call);
  EC2M_RETURN_IF_ERROR(body);
  std::map<std::string, std::string> out;
  for (const std::string& key : required) {
    auto value = body->String(key);
    EC2M_RETURN_IF_ERROR(value);
    out[key] = std::move(*value);
  }
  for (const std::string& key : optional) {
    auto value = body->StringOr(key, "");
    EC2M_RETURN_IF_ERROR(value);
    out[key] = std::move(*value);
  }
  EC2M_RETURN_IF_ERROR(body->Finish());
  return out;
}

}  // namespace

void ApiServer::AddIncidentRoutes() {
  const Access kEnvRole = Access::kEnvRole;
  // The environment a route's access is checked in: the incident's, or the new one's.
  auto incident_env = [this](const Call& call) -> Result<std::string> {
    auto service = Service(services_.incidents);
    EC2M_RETURN_IF_ERROR(service);
    auto incident = (*service)->Get(call.Param("id"));
    EC2M_RETURN_IF_ERROR(incident);
    return incident->environment;
  };
  auto body_env = [this](const Call& call) -> Result<std::string> {
    EC2M_RETURN_IF_ERROR(Service(services_.incidents));
    auto body = RequestBody(call);
    EC2M_RETURN_IF_ERROR(body);
    return body->String("environment");
  };
  // An action on one incident: `act` changes it and says what for the audit entry (its string);
  // the route audits it and answers the incident.
  using Act =
      std::function<Result<incidents::Incident>(incidents::Incidents&, Call&, std::string&)>;
  auto action = [this, incident_env](const std::string& verb, const std::string& audit_action,
                                     const std::string& summary, const Act& act) {
    AddRoute("POST", "/api/v1/incidents/{id}/" + verb, Access::kEnvRole, Role::kDeployer, summary,
             [this, audit_action, act](Call& call) -> Result<Reply> {
               auto service = Service(services_.incidents);
               EC2M_RETURN_IF_ERROR(service);
               std::string detail;
               auto changed = act(**service, call, detail);
               const Error error = changed ? Error{} : InBody(changed.error());
               AuditAction(call, audit_action, call.Param("id"), changed ? nullptr : &error,
                           detail);
               if (!changed) {
                 return Fail(error);
               }
               return Reply{200, incidents::IncidentJson(*changed, true)};
             });
    routes_.back().env_from = incident_env;
  };

  AddRoute("POST", "/api/v1/incidents", kEnvRole, Role::kDeployer, "open an incident",
           [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.incidents);
             EC2M_RETURN_IF_ERROR(service);
             auto request = ReadOpen(call);
             EC2M_RETURN_IF_ERROR(request);
             auto opened = (*service)->Open(*request);
             const Error error = opened ? Error{} : InBody(opened.error());
             AuditAction(
                 call, "incident.open", opened ? opened->id : "", opened ? nullptr : &error,
                 fmt::format("{}: {}", incidents::LevelOf(request->severity).name, request->title));
             if (!opened) {
               return Fail(error);
             }
             return Reply{201, incidents::IncidentJson(*opened, true)};
           });
  routes_.back().env_from = body_env;

  AddRoute("GET", "/api/v1/incidents", Access::kSignedIn, Role::kViewer, "list incidents",
           [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.incidents);
             EC2M_RETURN_IF_ERROR(service);
             incidents::ListQuery q;
             if (const std::string status = call.Query("status"); !status.empty()) {
               q.status = status;
             }
             q.environment = call.Query("env");
             if (const std::string severity = call.Query("severity"); !severity.empty()) {
               q.severity = incidents::ParseSeverity(severity);
               if (!q.severity) {
                 return Fail(ErrorCode::kInvalidArgument,
                             "severity: expected P1, P2, P3 or P4, got " + ShownValue(severity));
               }
             }
             auto limit = QueryInt(call, "limit", 100, 1, 1000);
             EC2M_RETURN_IF_ERROR(limit);
             q.limit = *limit;
             q.cursor = call.Query("cursor");
             const User& user = call.who->user;
             if (!q.environment.empty() && !user.RoleIn(q.environment)) {
               return Fail(ErrorCode::kPermissionDenied,
                           user.email + " has no role in environment " + q.environment);
             }
             if (!user.RoleIn("*")) {
               for (const auto& env : inventory_.environments()) {
                 if (user.RoleIn(env.config.name)) {
                   q.visible.insert(env.config.name);
                 }
               }
               if (q.visible.empty()) {
                 return Reply{200, {{"items", nlohmann::json::array()}, {"next_cursor", nullptr}}};
               }
             }
             auto page = (*service)->List(q);
             EC2M_RETURN_IF_ERROR(page);
             nlohmann::json items = nlohmann::json::array();
             for (const incidents::Incident& i : page->items) {
               items.push_back(incidents::IncidentJson(i, false));
             }
             return Reply{
                 200,
                 {{"items", items},
                  {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr)
                                                            : nlohmann::json(page->next_cursor)}}};
           });

  AddRoute("GET", "/api/v1/incidents/{id}", kEnvRole, Role::kViewer,
           "read an incident with its timeline", [this](Call& call) -> Result<Reply> {
             auto service = Service(services_.incidents);
             EC2M_RETURN_IF_ERROR(service);
             auto incident = (*service)->Get(call.Param("id"));
             EC2M_RETURN_IF_ERROR(incident);
             return Reply{200, incidents::IncidentJson(*incident, true)};
           });
  routes_.back().env_from = incident_env;

  action("ack", "incident.acknowledge", "acknowledge an incident",
         [](incidents::Incidents& s, Call& call, std::string&) -> Result<incidents::Incident> {
           EC2M_RETURN_IF_ERROR(ReadFields(call, {}, {}));
           return s.Acknowledge(call.Param("id"), call.who->user.email);
         });
  action(
      "assign", "incident.assign", "assign an incident commander",
      [](incidents::Incidents& s, Call& call, std::string& detail) -> Result<incidents::Incident> {
        auto f = ReadFields(call, {"commander"}, {});
        EC2M_RETURN_IF_ERROR(f);
        detail = "commander " + f->at("commander");
        return s.Assign(call.Param("id"), f->at("commander"), call.who->user.email);
      });
  action("notes", "incident.note", "add a note to an incident's timeline",
         [](incidents::Incidents& s, Call& call, std::string&) -> Result<incidents::Incident> {
           auto f = ReadFields(call, {"text"}, {});
           EC2M_RETURN_IF_ERROR(f);
           return s.AddNote(call.Param("id"), f->at("text"), call.who->user.email);
         });
  action(
      "status", "incident.status", "set an incident's status",
      [](incidents::Incidents& s, Call& call, std::string& detail) -> Result<incidents::Incident> {
        auto f = ReadFields(call, {"status"}, {});
        EC2M_RETURN_IF_ERROR(f);
        const std::string& text = f->at("status");
        detail = "to " + text;
        auto status = incidents::ParseStatus(text);
        if (!status || *status == incidents::Status::kInvestigating ||
            *status == incidents::Status::kResolved) {
          return Fail(ErrorCode::kInvalidArgument,
                      "status: expected identified or monitoring (resolve with "
                      "/resolve), got " +
                          ShownValue(text));
        }
        return s.SetStatus(call.Param("id"), *status, call.who->user.email);
      });
  action(
      "resolve", "incident.resolve", "resolve an incident",
      [](incidents::Incidents& s, Call& call, std::string& detail) -> Result<incidents::Incident> {
        auto f = ReadFields(call, {"root_cause", "resolution"}, {"postmortem_url"});
        EC2M_RETURN_IF_ERROR(f);
        detail = "root cause: " + f->at("root_cause");
        return s.Resolve(call.Param("id"),
                         {f->at("root_cause"), f->at("resolution"), f->at("postmortem_url")},
                         call.who->user.email);
      });
}

}  // namespace ec2m::server
