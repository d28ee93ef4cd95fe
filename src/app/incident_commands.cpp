#include "app/incident_commands.hpp"

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>

#include "app/api_client.hpp"
#include "cli/exit_codes.hpp"
#include "cli/table.hpp"
#include "incidents/severity.hpp"
#include "incidents/templates.hpp"

namespace ec2m::app {
namespace {

int Invalid(const std::string& message) {
  return cli::ReportError(Error{ErrorCode::kInvalidArgument, message, "", ""});
}

std::string IncidentPath(const IncidentOptions& o, const std::string& rest = "") {
  return "/api/v1/incidents/" + UrlEncode(o.id) + rest;
}

// One request through the signed-in session; the answer, or the exit code of its error.
Result<nlohmann::json> Request(const IncidentOptions& o, const std::string& method,
                               const std::string& path, const nlohmann::json& body = nullptr) {
  auto client = ConnectSignedIn(o.server);
  EC2M_RETURN_IF_ERROR(client);
  return (*client)->Call(method, path, body);
}

// Runs a request and prints `line(answer)` on success.
int Run(const IncidentOptions& o, const std::string& method, const std::string& path,
        const nlohmann::json& body, const std::function<std::string(const nlohmann::json&)>& line) {
  auto answer = Request(o, method, path, body);
  if (!answer) {
    return cli::ReportError(answer.error());
  }
  std::printf("%s\n", line(*answer).c_str());
  return 0;
}

int Open(const IncidentOptions& o) {
  if (!incidents::ParseSeverity(o.severity)) {
    return Invalid("--severity: expected P1, P2, P3 or P4, got \"" + o.severity + "\"");
  }
  nlohmann::json body = {{"severity", o.severity},
                         {"title", o.title},
                         {"environment", o.environment.empty() ? "prod" : o.environment}};
  if (!o.service.empty()) {
    body["service"] = o.service;
  }
  if (!o.description.empty()) {
    body["description"] = o.description;
  }
  return Run(o, "POST", "/api/v1/incidents", body,
             [](const nlohmann::json& i) { return JsonField(i, "id"); });
}

int SetStatus(const IncidentOptions& o) {
  if (o.status != "identified" && o.status != "monitoring") {
    return Invalid(
        "status: expected identified or monitoring (resolve with `ec2m incidents "
        "resolve`), got \"" +
        o.status + "\"");
  }
  return Run(o, "POST", IncidentPath(o, "/status"), {{"status", o.status}},
             [](const nlohmann::json& i) {
               return fmt::format("{} is {}", JsonField(i, "id"), JsonField(i, "status"));
             });
}

int Resolve(const IncidentOptions& o) {
  nlohmann::json body = {{"root_cause", o.root_cause}, {"resolution", o.resolution}};
  if (!o.postmortem.empty()) {
    body["postmortem_url"] = o.postmortem;
  }
  return Run(o, "POST", IncidentPath(o, "/resolve"), body, [](const nlohmann::json& i) {
    return fmt::format(
        "{} resolved after {}", JsonField(i, "id"),
        incidents::FormatDuration(std::chrono::minutes(i.value("duration_minutes", int64_t{0}))));
  });
}

int List(const IncidentOptions& o) {
  const std::string status = o.status.empty() ? "open" : o.status;
  if (status != "open" && status != "resolved" && status != "all") {
    return Invalid("--status: expected open, resolved or all, got \"" + status + "\"");
  }
  if (!o.severity.empty() && !incidents::ParseSeverity(o.severity)) {
    return Invalid("--severity: expected P1, P2, P3 or P4, got \"" + o.severity + "\"");
  }
  std::string path = fmt::format("/api/v1/incidents?status={}&limit={}", status, o.limit);
  if (!o.environment.empty()) {
    path += "&env=" + UrlEncode(o.environment);
  }
  if (!o.severity.empty()) {
    path += "&severity=" + UrlEncode(o.severity);
  }
  return CallAndPrint(
      {.server_flag = o.server,
       .output = o.output.empty() ? "table" : o.output,
       .path = path,
       .json_key = "items"},
      [](const nlohmann::json& list, cli::OutputFormat format) {
        std::vector<std::vector<std::string>> rows;
        for (const auto& i : list["items"]) {
          const std::string commander = JsonField(i, "commander");
          rows.push_back({JsonField(i, "id"), JsonField(i, "severity"), JsonField(i, "status"),
                          JsonField(i, "environment"), commander.empty() ? "-" : "@" + commander,
                          JsonField(i, "opened_at"),
                          JsonField(i, "acknowledged_by").empty() ? "no" : "yes",
                          JsonField(i, "title")});
        }
        return cli::PrintRows(
            format, {"ID", "SEV", "STATUS", "ENV", "COMMANDER", "OPENED", "ACK", "TITLE"}, rows);
      });
}

void PrintIncident(const nlohmann::json& i) {
  const std::string commander = JsonField(i, "commander");
  std::printf("%s  %s (%s)  %s  %s\n", JsonField(i, "id").c_str(), JsonField(i, "severity").c_str(),
              JsonField(i, "severity_label").c_str(), JsonField(i, "status").c_str(),
              JsonField(i, "environment").c_str());
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"Title", JsonField(i, "title")},
      {"Service", JsonField(i, "service")},
      {"Description", JsonField(i, "description")},
      {"Opened", JsonField(i, "opened_at") + " by " + JsonField(i, "opened_by")},
      {"Commander", commander.empty() ? "unassigned" : "@" + commander},
      {"Acknowledged",
       JsonField(i, "acknowledged_at").empty()
           ? "no (respond within " +
                 incidents::FormatDuration(
                     std::chrono::minutes(i.value("response_time_minutes", int64_t{0}))) +
                 ", then: " + JsonField(i, "escalation") + ")"
           : JsonField(i, "acknowledged_at") + " by " + JsonField(i, "acknowledged_by")},
      {"Escalated", JsonField(i, "escalated_at").empty() ? "no" : JsonField(i, "escalated_at")},
      {"Resolved", JsonField(i, "resolved_at").empty()
                       ? "no"
                       : JsonField(i, "resolved_at") + " by " + JsonField(i, "resolved_by")},
      {"Root cause", JsonField(i, "root_cause")},
      {"Resolution", JsonField(i, "resolution")},
      {"Post-mortem", JsonField(i, "postmortem_url")},
  };
  for (const auto& [name, value] : fields) {
    if (!value.empty()) {
      std::printf("%-13s %s\n", (name + ":").c_str(), value.c_str());
    }
  }
  std::printf("Timeline:\n");
  for (const auto& e : i["timeline"]) {
    std::printf("  %s  %-12s %s: %s\n", JsonField(e, "at").c_str(), JsonField(e, "kind").c_str(),
                JsonField(e, "actor").c_str(), JsonField(e, "text").c_str());
  }
}

int Show(const IncidentOptions& o) {
  const std::string output = o.output.empty() ? "text" : o.output;
  if (output != "text" && output != "json") {
    return Invalid("--output: expected text or json, got \"" + o.output + "\"");
  }
  auto incident = Request(o, "GET", IncidentPath(o));
  if (!incident) {
    return cli::ReportError(incident.error());
  }
  if (output == "json") {
    std::printf("%s\n", incident->dump(2).c_str());
  } else {
    PrintIncident(*incident);
  }
  return 0;
}

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    out += (out.empty() ? "" : " ") + w;
  }
  return out;
}

}  // namespace

void AddIncidentCommands(CLI::App& app, IncidentOptions& o, int& exit_code) {
  CLI::App* incidents = app.add_subcommand("incidents", "Open, work and resolve incidents");
  incidents->require_subcommand(1);
  auto sub = [&](const std::string& name, const std::string& help, bool with_id) {
    CLI::App* cmd = incidents->add_subcommand(name, help);
    cmd->add_option("--server", o.server, "The ec2m server (default: the signed-in one)");
    if (with_id) {
      cmd->add_option("id", o.id, "The incident (YYYY-MMDD-NNN)")->required();
    }
    return cmd;
  };
  CLI::App* open = sub("open", "Open an incident; prints its id", false);
  open->add_option("--severity", o.severity, "P1, P2, P3 or P4")->required();
  open->add_option("--title", o.title, "One line")->required();
  open->add_option("--env", o.environment, "The environment (default prod)");
  open->add_option("--service", o.service, "Default: EC2 Manager API");
  open->add_option("--description", o.description, "Default: the title");
  open->callback([&] { exit_code = Open(o); });

  CLI::App* ack = sub("ack", "Acknowledge an incident (stops its escalation)", true);
  ack->callback([&] {
    exit_code = Run(o, "POST", IncidentPath(o, "/ack"), nlohmann::json::object(),
                    [](const nlohmann::json& i) {
                      return fmt::format("{} acknowledged by {}", JsonField(i, "id"),
                                         JsonField(i, "acknowledged_by"));
                    });
  });
  CLI::App* assign = sub("assign", "Assign the incident commander", true);
  assign->add_option("--commander", o.commander, "A handle (@alice or alice)")->required();
  assign->callback([&] {
    exit_code = Run(o, "POST", IncidentPath(o, "/assign"), {{"commander", o.commander}},
                    [](const nlohmann::json& i) {
                      return fmt::format("{} incident commander: @{}", JsonField(i, "id"),
                                         JsonField(i, "commander"));
                    });
  });
  CLI::App* note = sub("note", "Add a note to the timeline", true);
  note->add_option("text", o.words, "The note")->required();
  note->callback([&] {
    exit_code = Run(o, "POST", IncidentPath(o, "/notes"), {{"text", Joined(o.words)}},
                    [](const nlohmann::json& i) { return JsonField(i, "id") + ": note added"; });
  });
  CLI::App* status = sub("status", "Move the status forward: identified, monitoring", true);
  status->add_option("status", o.status, "identified or monitoring")->required();
  status->callback([&] { exit_code = SetStatus(o); });
  CLI::App* resolve = sub("resolve", "Resolve an incident (sends the resolution notice)", true);
  resolve->add_option("--root-cause", o.root_cause, "What caused it")->required();
  resolve->add_option("--resolution", o.resolution, "What resolved it")->required();
  resolve->add_option("--postmortem", o.postmortem, "Link to the post-mortem");
  resolve->callback([&] { exit_code = Resolve(o); });

  CLI::App* list = sub("list", "Incidents, newest first", false);
  list->add_option("--status", o.status, "open (default), resolved or all");
  list->add_option("--env", o.environment, "Only this environment's");
  list->add_option("--severity", o.severity, "Only this severity's");
  list->add_option("--limit", o.limit, "How many (1..1000)")->check(CLI::Range(1, 1000));
  list->add_option("--output,-o", o.output, "table, json or text");
  list->callback([&] { exit_code = List(o); });
  CLI::App* show = sub("show", "One incident with its timeline", true);
  show->add_option("--output,-o", o.output, "text or json");
  show->callback([&] { exit_code = Show(o); });
}

}  // namespace ec2m::app
